'use strict';
/** The checks of a client option's value by the setting's kind (see `settings.gen.cjs`). */
const { invalidInput } = require('./errors.cjs');

/** The C config value of option `s` (`{option, key, kind, zeroAllowed}`) given `value`. */
function checkSetting(s, value) {
  const name = s.option;
  switch (s.kind) {
    case 'text':
    case 'secret':
    case 'url':
    case 'path':
      if (typeof value !== 'string') throw invalidInput('invalid_setting', `option ${name} must be a string`);
      return value;
    case 'millis':
      if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
        throw invalidInput('invalid_setting', `option ${name} must be a positive number of milliseconds`);
      }
      return Math.max(1, Math.round(value));
    case 'count':
      if (!Number.isInteger(value) || value < (s.zeroAllowed ? 0 : 1)) {
        throw invalidInput('invalid_setting', `option ${name} must be an integer of at least ${s.zeroAllowed ? 0 : 1}`);
      }
      return value;
    case 'flag':
      if (typeof value !== 'boolean') throw invalidInput('invalid_setting', `option ${name} must be a boolean`);
      return value;
    default:
      throw invalidInput('invalid_setting', `option ${name} has an unknown kind ${s.kind}`);
  }
}

module.exports = { checkSetting };
