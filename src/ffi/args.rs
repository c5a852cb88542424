//! Reading arguments from C, with every NULL and UTF-8 check in one place.
//!
//! Each helper turns a bad argument into an `invalid_input` [`Error`] naming the parameter
//! (code `null_argument`, `invalid_utf8` or `invalid_length`), never into a crash. The content of a
//! rejected string is never echoed back: it may be a secret.

use crate::Error;
use std::ffi::CStr;
use std::os::raw::c_char;

/// A required pointer: NULL is an error.
///
/// # Safety
/// `ptr` must be NULL or point to a live `T` for the lifetime `'a`.
pub(crate) unsafe fn reference<'a, T>(ptr: *const T, name: &str) -> Result<&'a T, Error> {
    // SAFETY: non-NULL pointers are valid per the caller's contract.
    unsafe { ptr.as_ref() }.ok_or_else(|| null(name))
}

/// A required NUL-terminated UTF-8 string.
///
/// # Safety
/// `ptr` must be NULL or point to a NUL-terminated string that lives for `'a`.
pub(crate) unsafe fn required_str<'a>(ptr: *const c_char, name: &str) -> Result<&'a str, Error> {
    // SAFETY: forwarded contract.
    unsafe { optional_str(ptr, name) }?.ok_or_else(|| null(name))
}

/// An optional NUL-terminated UTF-8 string: NULL reads as `None`.
///
/// # Safety
/// `ptr` must be NULL or point to a NUL-terminated string that lives for `'a`.
pub(crate) unsafe fn optional_str<'a>(ptr: *const c_char, name: &str) -> Result<Option<&'a str>, Error> {
    if ptr.is_null() {
        return Ok(None);
    }
    // SAFETY: non-NULL and NUL-terminated per the caller's contract.
    let bytes = unsafe { CStr::from_ptr(ptr) };
    bytes.to_str().map(Some).map_err(|e| {
        Error::invalid(
            "invalid_utf8",
            format!("`{name}` is not valid UTF-8 (invalid byte at offset {})", e.valid_up_to()),
        )
    })
}

/// A byte buffer given as pointer and length. A NULL pointer is accepted only with length 0.
///
/// # Safety
/// `ptr` must be NULL or point to `len` readable bytes that live for `'a`.
pub(crate) unsafe fn bytes<'a>(ptr: *const u8, len: usize, name: &str) -> Result<&'a [u8], Error> {
    if ptr.is_null() {
        return if len == 0 {
            Ok(&[])
        } else {
            Err(Error::invalid("null_argument", format!("`{name}` is NULL but its length is {len}")))
        };
    }
    if len > isize::MAX as usize {
        return Err(Error::invalid("invalid_length", format!("`{name}` length {len} is too large")));
    }
    // SAFETY: non-NULL, `len` readable bytes per the caller's contract, and `len <= isize::MAX`.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

fn null(name: &str) -> Error {
    Error::invalid("null_argument", format!("`{name}` must not be NULL"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ptr;

    #[test]
    fn nulls_and_bad_utf8_are_errors_naming_the_parameter() {
        let e = unsafe { required_str(ptr::null(), "operation") }.unwrap_err();
        assert_eq!((e.kind(), e.code()), ("invalid_input", "null_argument"));
        assert!(e.message().contains("`operation`"));
        assert_eq!(unsafe { optional_str(ptr::null(), "x") }.unwrap(), None);

        let bad = b"sk_\xff\xfe\0";
        let e = unsafe { required_str(bad.as_ptr().cast(), "api_key") }.unwrap_err();
        assert_eq!(e.code(), "invalid_utf8");
        assert!(e.message().contains("offset 3"), "{}", e.message());

        let good = c"agents.list";
        assert_eq!(unsafe { required_str(good.as_ptr(), "op") }.unwrap(), "agents.list");

        assert_eq!(unsafe { reference::<u8>(ptr::null(), "client") }.unwrap_err().code(), "null_argument");
    }

    #[test]
    fn byte_buffers() {
        assert_eq!(unsafe { bytes(ptr::null(), 0, "body") }.unwrap(), b"");
        assert_eq!(unsafe { bytes(ptr::null(), 3, "body") }.unwrap_err().code(), "null_argument");
        let data = b"abc";
        assert_eq!(unsafe { bytes(data.as_ptr(), 2, "body") }.unwrap(), b"ab");
        assert_eq!(unsafe { bytes(data.as_ptr(), usize::MAX, "body") }.unwrap_err().code(), "invalid_length");
    }
}
