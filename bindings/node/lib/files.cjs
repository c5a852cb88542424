'use strict';
/** The `files` entries of the request JSON (multipart parts) from what a caller may pass. */
const { invalidInput } = require('./errors.cjs');

function isBytes(v) {
  return v instanceof Uint8Array || v instanceof ArrayBuffer;
}

function base64(v) {
  const buf = v instanceof ArrayBuffer ? Buffer.from(v) : Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  return buf.toString('base64');
}

/**
 * One part: a path (`string` or `URL`), bytes (`Buffer`/`Uint8Array`/`ArrayBuffer`),
 * `{ path }`, or `{ filename, data, contentType? }` with `data` bytes or text. The field name is
 * the operation's file field unless `{ field }` says otherwise.
 */
function fileWire(item) {
  if (typeof item === 'string') return { path: item };
  if (item instanceof URL) {
    if (item.protocol !== 'file:') throw invalidInput('invalid_file', 'a file URL must be a file: URL');
    return { path: require('node:url').fileURLToPath(item) };
  }
  if (isBytes(item)) return { data_base64: base64(item) };
  if (item && typeof item === 'object') {
    const wire = {};
    if (item.field !== undefined) wire.field = String(item.field);
    if (item.path !== undefined) {
      wire.path = item.path instanceof URL ? require('node:url').fileURLToPath(item.path) : String(item.path);
      return wire;
    }
    if (item.data_base64 !== undefined) {
      Object.assign(wire, item);
      return wire;
    }
    if (item.data === undefined) {
      throw invalidInput('invalid_file', 'a file object needs `path` or `data` (bytes or text)');
    }
    const data = typeof item.data === 'string' ? Buffer.from(item.data, 'utf8') : item.data;
    if (!isBytes(data)) throw invalidInput('invalid_file', "a file's `data` must be a Buffer, Uint8Array, ArrayBuffer or string");
    wire.data_base64 = base64(data);
    if (item.filename !== undefined) wire.filename = String(item.filename);
    if (item.contentType !== undefined) wire.content_type = String(item.contentType);
    return wire;
  }
  throw invalidInput('invalid_file', `unsupported file ${typeof item}: give a path, bytes, or { filename, data, contentType }`);
}

/** The wire `files` of `file` and `files` (undefined when neither is given). */
function filesWire(file, files) {
  const parts = [];
  if (file !== undefined && file !== null) parts.push(fileWire(file));
  if (files !== undefined && files !== null) {
    if (!Array.isArray(files)) throw invalidInput('invalid_file', '`files` must be an array (use `file` for one file)');
    for (const f of files) parts.push(fileWire(f));
  }
  return parts.length ? parts : undefined;
}

module.exports = { fileWire, filesWire };
