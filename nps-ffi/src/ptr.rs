//! Pointers from C made into references, each checked for NULL before any dereference.
//!
//! Where rustls-ffi uses `try_ref_from_ptr!`-style macros that return early, the bodies here are
//! closures returning `Result`, so plain functions with `?` do the same: a NULL pointer becomes
//! [`Failure::NullPointer`] naming the argument. Output pointers become [`Out`] and [`OutBuf`],
//! which write through raw pointers (never a reference to possibly uninitialised C memory) and
//! are consumed by the write, so a result is written once and only on success.

use std::ffi::{CStr, c_char};
use std::marker::PhantomData;
use std::ptr::{self, NonNull};
use std::slice;

use crate::failure::Failure;

/// A shared reference from a pointer that must not be NULL.
///
/// # Safety
/// `p` must be NULL or valid for reads of a `T` for `'a`, with no writer meanwhile.
pub(crate) unsafe fn try_ref<'a, T>(p: *const T, field: &'static str) -> Result<&'a T, Failure> {
    // SAFETY: as the caller guarantees; `as_ref` handles NULL.
    unsafe { p.as_ref() }.ok_or(Failure::NullPointer(field))
}

/// A mutable reference from a pointer that must not be NULL.
///
/// # Safety
/// `p` must be NULL or valid for reads and writes of a `T` for `'a`, with no other access.
pub(crate) unsafe fn try_mut<'a, T>(p: *mut T, field: &'static str) -> Result<&'a mut T, Failure> {
    // SAFETY: as the caller guarantees; `as_mut` handles NULL.
    unsafe { p.as_mut() }.ok_or(Failure::NullPointer(field))
}

/// A slice from a pointer and a length: NULL with length 0 is the empty slice, NULL with a
/// positive length an error.
///
/// # Safety
/// Unless NULL or `len` is 0, `p` must point to `len` readable, initialised `T` for `'a`.
pub(crate) unsafe fn try_slice<'a, T>(
    p: *const T,
    len: usize,
    field: &'static str,
) -> Result<&'a [T], Failure> {
    if len == 0 {
        Ok(&[])
    } else if p.is_null() {
        Err(Failure::NullPointer(field))
    } else {
        // SAFETY: non-NULL and `len` readable elements, as the caller guarantees.
        Ok(unsafe { slice::from_raw_parts(p, len) })
    }
}

/// A UTF-8 string from a NUL-terminated C string; `None` for NULL.
///
/// # Safety
/// `p` must be NULL or point to a NUL-terminated string that lives for `'a`.
pub(crate) unsafe fn opt_str<'a>(
    p: *const c_char,
    field: &'static str,
) -> Result<Option<&'a str>, Failure> {
    if p.is_null() {
        return Ok(None);
    }
    // SAFETY: non-NULL and NUL-terminated, as the caller guarantees.
    let text = unsafe { CStr::from_ptr(p) };
    text.to_str()
        .map(Some)
        .map_err(|source| Failure::InvalidUtf8 {
            field,
            index: None,
            source,
        })
}

/// A UTF-8 string from a NUL-terminated C string that must not be NULL.
///
/// # Safety
/// As [`opt_str`].
pub(crate) unsafe fn try_str<'a>(
    p: *const c_char,
    field: &'static str,
) -> Result<&'a str, Failure> {
    // SAFETY: as the caller guarantees.
    unsafe { opt_str(p, field) }?.ok_or(Failure::NullPointer(field))
}

/// The strings of an array of `len` C strings, `None` for a NULL element; a string that is not
/// UTF-8 is reported with its index.
///
/// # Safety
/// Unless NULL or `len` is 0, `p` must point to `len` readable pointers, each NULL or pointing
/// to a NUL-terminated string, all living for `'a`.
pub(crate) unsafe fn opt_str_array<'a>(
    p: *const *const c_char,
    len: usize,
    field: &'static str,
) -> Result<Vec<Option<&'a str>>, Failure> {
    // SAFETY: as the caller guarantees.
    let pointers = unsafe { try_slice(p, len, field)? };
    pointers
        .iter()
        .enumerate()
        .map(|(index, &s)| {
            if s.is_null() {
                return Ok(None);
            }
            // SAFETY: non-NULL and NUL-terminated, as the caller guarantees.
            let text = unsafe { CStr::from_ptr(s) };
            text.to_str()
                .map(Some)
                .map_err(|source| Failure::InvalidUtf8 {
                    field,
                    index: Some(index),
                    source,
                })
        })
        .collect()
}

/// As [`opt_str_array`], but every element must be a string: NULL is reported with its index.
///
/// # Safety
/// As [`opt_str_array`].
pub(crate) unsafe fn str_array<'a>(
    p: *const *const c_char,
    len: usize,
    field: &'static str,
) -> Result<Vec<&'a str>, Failure> {
    // SAFETY: as the caller guarantees.
    let texts = unsafe { opt_str_array(p, len, field)? };
    texts
        .into_iter()
        .enumerate()
        .map(|(index, text)| text.ok_or(Failure::NullElement { field, index }))
        .collect()
}

/// Element `index` of a result's `items`, or [`Failure::OutOfRange`] naming the argument.
pub(crate) fn at<'a, T>(
    items: &'a [T],
    index: usize,
    field: &'static str,
    of: &'static str,
) -> Result<&'a T, Failure> {
    items.get(index).ok_or(Failure::OutOfRange {
        field,
        index,
        len: items.len(),
        of,
    })
}

/// An out-parameter: a place for one `T`, written at most once.
pub(crate) struct Out<'a, T> {
    ptr: NonNull<T>,
    _place: PhantomData<&'a mut T>,
}

impl<'a, T> Out<'a, T> {
    /// The out-parameter `p`, which must not be NULL.
    ///
    /// # Safety
    /// `p` must be NULL or valid for writes of a `T` (initialised or not) for `'a`.
    pub(crate) unsafe fn new(p: *mut T, field: &'static str) -> Result<Self, Failure> {
        NonNull::new(p)
            .map(|ptr| Out {
                ptr,
                _place: PhantomData,
            })
            .ok_or(Failure::NullPointer(field))
    }

    /// An optional out-parameter: `None` when `p` is NULL.
    ///
    /// # Safety
    /// As [`Out::new`].
    pub(crate) unsafe fn optional(p: *mut T) -> Option<Self> {
        // SAFETY: as the caller guarantees.
        unsafe { Self::new(p, "") }.ok()
    }

    /// Writes the result, without reading or dropping what was there.
    pub(crate) fn write(self, value: T) {
        // SAFETY: `new` was given a pointer valid for writes for `'a`.
        unsafe { self.ptr.as_ptr().write(value) }
    }
}

/// A caller-owned output buffer of `len` elements.
pub(crate) struct OutBuf<'a, T> {
    ptr: *mut T,
    len: usize,
    field: &'static str,
    _place: PhantomData<&'a mut [T]>,
}

impl<'a, T: Copy> OutBuf<'a, T> {
    /// The buffer `p` of `len` elements; NULL is allowed only with `len` 0.
    ///
    /// # Safety
    /// Unless NULL or `len` is 0, `p` must be valid for writes of `len` `T` for `'a`.
    pub(crate) unsafe fn new(p: *mut T, len: usize, field: &'static str) -> Result<Self, Failure> {
        if p.is_null() && len > 0 {
            return Err(Failure::NullPointer(field));
        }
        Ok(OutBuf {
            ptr: p,
            len,
            field,
            _place: PhantomData,
        })
    }

    /// Copies `values` to the start of the buffer, or fails untouched when it is too short.
    pub(crate) fn write_all(self, values: &[T]) -> Result<(), Failure> {
        self.check_room(values.len())?;
        // SAFETY: `values.len() <= len` elements are writable (`new`), and a Rust slice cannot
        // overlap memory the caller lent as writable.
        unsafe { ptr::copy_nonoverlapping(values.as_ptr(), self.ptr, values.len()) };
        Ok(())
    }

    fn check_room(&self, needed: usize) -> Result<(), Failure> {
        if self.len < needed {
            return Err(Failure::BufferTooSmall {
                field: self.field,
                len: self.len,
                needed,
            });
        }
        Ok(())
    }
}

impl OutBuf<'_, c_char> {
    /// Copies `text` and a terminating NUL; reports the size it needs (NUL included) through
    /// `needed` whether or not it fits.
    pub(crate) fn write_c_str(
        self,
        text: &str,
        needed: Option<Out<'_, usize>>,
    ) -> Result<(), Failure> {
        let size = text.len() + 1;
        if let Some(needed) = needed {
            needed.write(size);
        }
        self.check_room(size)?;
        // SAFETY: `size <= len` bytes are writable (`new`); `text` is Rust-owned, so no overlap.
        unsafe {
            ptr::copy_nonoverlapping(text.as_ptr().cast::<c_char>(), self.ptr, text.len());
            self.ptr.add(text.len()).write(0);
        }
        Ok(())
    }
}

/// Hands a new handle to the caller, who owns it from then on and frees it with [`free`].
pub(crate) fn give<T>(out: Out<'_, *mut T>, value: T) {
    out.write(Box::into_raw(Box::new(value)));
}

/// Frees a handle made by [`give`] (the body of the `nps_*_free` functions); NULL does nothing.
///
/// # Safety
/// `p` must be NULL or a handle from [`give`] of this `T` that has not been freed yet.
pub(crate) unsafe fn free<T>(p: *mut T) {
    crate::panic::guard((), || {
        if !p.is_null() {
            // SAFETY: a live handle from `give`, freed once (caller's duty).
            drop(unsafe { Box::from_raw(p) });
        }
    });
}
