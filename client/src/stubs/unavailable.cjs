// An optional module its callers try/catch-require; absent from the single executable on purpose.
throw Object.assign(new Error('module not available in this single executable'), {
  code: 'MODULE_NOT_FOUND',
});
