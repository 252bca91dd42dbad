import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lockedDown } from './lockdown.ts';

describe('kernel lockdown', () => {
  it('is on when integrity or confidentiality is the bracketed mode', () => {
    assert.equal(lockedDown('none [integrity] confidentiality\n'), true);
    assert.equal(lockedDown('none integrity [confidentiality]\n'), true);
  });
  it('is off for [none], for no file, and for text that is not the lockdown file', () => {
    assert.equal(lockedDown('[none] integrity confidentiality\n'), false);
    assert.equal(lockedDown(undefined), false);
    assert.equal(lockedDown(''), false);
  });
});
