//! Large columns in memory: allocations advised for transparent huge pages, and element-wise
//! conversion in parallel parts.
//!
//! A fresh allocation of tens of megabytes costs one page fault per 4 KiB page on first write:
//! filling a 10⁷-row `u32` column takes about 18 ms that way, 4.5 ms in 2 MiB pages. numpy
//! asks for huge pages on its large arrays the same way (`madvise(MADV_HUGEPAGE)`); it is only
//! advice, so the contents are the same whether the kernel follows it or not.

use std::mem::MaybeUninit;

/// Inputs of at least this many elements are converted in parallel parts.
const PARALLEL_MIN: usize = 1 << 20;

/// An empty vector with room for `n` elements, advised for huge pages when large (Linux).
fn with_capacity<T>(n: usize) -> Vec<T> {
    let mut v: Vec<T> = Vec::with_capacity(n);
    #[cfg(target_os = "linux")]
    huge_pages::advise(v.as_mut_ptr().cast(), n.saturating_mul(size_of::<T>()));
    v
}

/// A copy of a large column (weights, ratings handed over by a wrapper) in memory advised for
/// huge pages: `values.to_vec()`, without the page faults of a fresh allocation.
///
/// ```
/// assert_eq!(nps_core::copy_column(&[1.0, 2.5]), vec![1.0, 2.5]);
/// ```
pub fn copy_column<T: Copy>(values: &[T]) -> Vec<T> {
    let mut v = with_capacity(values.len());
    v.extend_from_slice(values);
    v
}

/// `input` mapped element-wise by `map`, in parallel parts (one per available core) when it is
/// large; `Err(i)` with the first position i where `valid` fails (whatever the split).
///
/// Each part maps every element and checks validity without branching, so the loop
/// vectorizes; the position of an invalid element is looked up only on failure.
pub(crate) fn convert<I, O>(
    input: &[I],
    map: impl Fn(I) -> O + Sync,
    valid: impl Fn(I) -> bool + Sync,
) -> Result<Vec<O>, usize>
where
    I: Copy + Sync,
    O: Send,
{
    let n = input.len();
    let mut out: Vec<O> = with_capacity(n);
    let cores = std::thread::available_parallelism().map_or(1, |c| c.get());
    let parts = cores.min(n / PARALLEL_MIN).max(1);
    let chunk = n.div_ceil(parts).max(1);
    let part = |start: usize, src: &[I], dst: &mut [MaybeUninit<O>]| -> Result<(), usize> {
        let mut ok = true;
        for (d, &x) in dst.iter_mut().zip(src) {
            d.write(map(x));
            ok &= valid(x);
        }
        match ok {
            true => Ok(()),
            false => Err(start + src.iter().position(|&x| !valid(x)).unwrap_or(0)),
        }
    };
    let spare = &mut out.spare_capacity_mut()[..n];
    let results: Vec<Result<(), usize>> = if parts == 1 {
        vec![part(0, input, spare)]
    } else {
        std::thread::scope(|scope| {
            let part = &part;
            let handles: Vec<_> = input
                .chunks(chunk)
                .zip(spare.chunks_mut(chunk))
                .enumerate()
                .map(|(k, (src, dst))| scope.spawn(move || part(k * chunk, src, dst)))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("converting a slice does not panic"))
                .collect()
        })
    };
    results.into_iter().collect::<Result<(), usize>>()?;
    // SAFETY: the parts cover 0..n and each wrote every element of its chunk (a part writes
    // all of its elements before checking validity, and no part failed).
    unsafe { out.set_len(n) };
    Ok(out)
}

#[cfg(target_os = "linux")]
mod huge_pages {
    use std::ffi::{c_int, c_void};

    /// `MADV_HUGEPAGE` of `<sys/mman.h>` (the same on every Linux architecture).
    const MADV_HUGEPAGE: c_int = 14;
    /// Transparent huge pages are 2 MiB on x86-64 and arm64 (4 KiB base pages).
    const HUGE: usize = 1 << 21;
    /// Below this, advice is not worth a system call (and small allocations come from the heap).
    const MIN_BYTES: usize = 4 << 20;

    unsafe extern "C" {
        fn madvise(addr: *mut c_void, len: usize, advice: c_int) -> c_int;
    }

    /// Advises huge pages for the whole 2 MiB pages inside `bytes` bytes at `start`.
    pub(super) fn advise(start: *mut u8, bytes: usize) {
        if bytes < MIN_BYTES {
            return;
        }
        let first = (start as usize).next_multiple_of(HUGE);
        let end = (start as usize + bytes) / HUGE * HUGE;
        if end > first {
            // SAFETY: [first, end) lies inside the allocation of `bytes` bytes at `start`, which
            // the caller owns; madvise(MADV_HUGEPAGE) changes no contents, and its failure (a
            // kernel without transparent huge pages) is harmless, so the result is ignored.
            unsafe {
                madvise(first as *mut c_void, end - first, MADV_HUGEPAGE);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversion_in_parts_names_the_first_invalid_position() {
        let n = 3 * PARALLEL_MIN + 17;
        let input: Vec<i32> = (0..n as i32).map(|i| i % 7 - 1).collect();
        let out = convert(&input, |x| x * 2, |x| x >= -1).unwrap();
        assert_eq!(out.len(), n);
        assert!(out.iter().zip(&input).all(|(o, i)| *o == 2 * i));
        let mut bad = input.clone();
        bad[2 * PARALLEL_MIN + 5] = -9;
        bad[n - 1] = -9;
        assert_eq!(convert(&bad, |x| x, |x| x >= -1), Err(2 * PARALLEL_MIN + 5));
        assert_eq!(convert(&[] as &[i32], |x| x, |_| false), Ok(vec![]));
        assert_eq!(copy_column(&input[..5]), input[..5]);
    }
}
