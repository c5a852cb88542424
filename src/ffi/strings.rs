//! Strings handed to C: every one the library returns is freed by [`trillet_string_free`].

use super::boundary::guard;
use std::ffi::CString;
use std::os::raw::c_char;

/// The version as a NUL-terminated static string.
static VERSION_C: &str = concat!(env!("CARGO_PKG_VERSION"), "\0");

/// Hands a string to C. JSON text never contains a raw NUL byte; should one appear anyway it is
/// dropped rather than cutting the string short.
pub(crate) fn into_c_string(text: String) -> *mut c_char {
    let c = CString::new(text).unwrap_or_else(|e| {
        let mut bytes = e.into_vec();
        bytes.retain(|&b| b != 0);
        CString::new(bytes).expect("NUL bytes were removed")
    });
    c.into_raw()
}

/// Frees a string returned by this library (a response, an error JSON, the operations catalog,
/// a webhook signature). NULL is accepted and ignored.
///
/// # Safety
/// `s` must be NULL or a string returned by this library and not yet freed. Never pass a string
/// from anywhere else, and never free the same string twice.
#[no_mangle]
pub unsafe extern "C" fn trillet_string_free(s: *mut c_char) {
    guard(|| {
        if !s.is_null() {
            // SAFETY: per the contract, `s` came from `CString::into_raw` in `into_c_string`.
            drop(unsafe { CString::from_raw(s) });
        }
    })
}

/// The library version (like `"0.1.0"`). The string is static: do not free it.
#[no_mangle]
pub extern "C" fn trillet_version() -> *const c_char {
    guard(|| VERSION_C.as_ptr().cast::<c_char>())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;

    #[test]
    fn strings_round_trip_and_nul_bytes_are_dropped() {
        let p = into_c_string("a\0b".to_string());
        assert_eq!(unsafe { CStr::from_ptr(p) }.to_str().unwrap(), "ab");
        unsafe { trillet_string_free(p) };
        unsafe { trillet_string_free(std::ptr::null_mut()) };
        let v = unsafe { CStr::from_ptr(trillet_version()) };
        assert_eq!(v.to_str().unwrap(), crate::VERSION);
    }
}
