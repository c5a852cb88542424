//! Limits and formats as the spec states them (`spec/endpoints.json`), written down here rather
//! than borrowed from the client, so that a client that drifts from the spec is refused by the
//! sandbox instead of agreed with.

/// `batch_calls.start`: "CSV, max 20MB" (a megabyte of 2^20 bytes, the reading the API's
/// upload limit is tested with).
pub(crate) const BATCH_CSV_MAX_MB: u64 = 20;
/// [`BATCH_CSV_MAX_MB`] in bytes.
pub(crate) const BATCH_CSV_MAX_BYTES: u64 = BATCH_CSV_MAX_MB << 20;
/// `knowledge_base.upload_file` and `voices.clone`: "max 50MB".
pub(crate) const FILE_MAX_MB: u64 = 50;
/// [`FILE_MAX_MB`] in bytes.
pub(crate) const FILE_MAX_BYTES: u64 = FILE_MAX_MB << 20;

/// Whether `text` is a time as `scheduledAt` is specified: "UTC ISO-8601
/// (YYYY-MM-DDTHH:MM:SSZ)", optionally with a fraction of a second (what `toISOString()`
/// writes). A date that does not exist (`2025-02-30`) or an offset other than `Z` is refused.
pub(crate) fn is_utc_timestamp(text: &str) -> bool {
    let b = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = b.get(range)?;
        part.iter().all(u8::is_ascii_digit).then(|| part.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
    };
    let punctuated = b.len() >= 20
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
        && b[16] == b':'
        && b[b.len() - 1] == b'Z';
    if !punctuated {
        return false;
    }
    let fraction = &b[19..b.len() - 1];
    if !(fraction.is_empty()
        || fraction.len() >= 2 && fraction[0] == b'.' && fraction[1..].iter().all(u8::is_ascii_digit))
    {
        return false;
    }
    let (Some(year), Some(month), Some(day), Some(h), Some(m), Some(s)) =
        (digits(0..4), digits(5..7), digits(8..10), digits(11..13), digits(14..16), digits(17..19))
    else {
        return false;
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days_in_month).contains(&day) && h < 24 && m < 60 && s < 60
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_read_as_the_spec_writes_them() {
        let spec = crate::spec::Spec::get();
        let batch = spec.operation("POST", "/v1/api/batch-calls").expect("batch_calls.start in the spec");
        let file = batch.body_field("file").expect("its `file` field");
        assert!(file.desc.contains(&format!("max {BATCH_CSV_MAX_MB}MB")), "{}", file.desc);
        assert_eq!(BATCH_CSV_MAX_BYTES, 20 * 1024 * 1024);
        let upload = spec.operation("POST", "/v1/api/knowledgebase/{id}/files").expect("knowledge_base upload");
        assert!(upload.body_field("uploadedFile").unwrap().desc.contains(&format!("max {FILE_MAX_MB}MB")));
        assert_eq!(FILE_MAX_BYTES, 50 * 1024 * 1024);
    }

    #[test]
    fn scheduled_times_as_specified() {
        for ok in ["2025-06-01T09:00:00Z", "2024-02-29T23:59:59Z", "2025-01-19T02:57:27.923Z"] {
            assert!(is_utc_timestamp(ok), "{ok}");
        }
        for bad in [
            "",
            "2025-06-01",
            "2025-06-01T09:00:00",
            "2025-06-01T09:00:00+02:00",
            "2025-06-01 09:00:00Z",
            "2025-02-29T09:00:00Z",
            "2025-13-01T09:00:00Z",
            "2025-06-31T09:00:00Z",
            "2025-06-01T24:00:00Z",
            "2025-06-01T09:00:00.Z",
            "2025-06-01T09:00:00.5xZ",
            "tomorrow",
        ] {
            assert!(!is_utc_timestamp(bad), "{bad}");
        }
    }
}
