// An optional native addon left out of the single executable; its callers fall back to plain JS.
module.exports = {};
