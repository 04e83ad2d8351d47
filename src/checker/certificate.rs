//! The expiry of the leaf certificate an https answer came with.

use chrono::{DateTime, NaiveDateTime};

use crate::domain::time::truncate_to_micros;

/// When the certificate `der` stops being valid (its notAfter, UTC); `None` if it cannot be read.
pub fn not_after(der: &[u8]) -> Option<NaiveDateTime> {
    let (_, certificate) = x509_parser::parse_x509_certificate(der).ok()?;
    let seconds = certificate.validity().not_after.timestamp();
    DateTime::from_timestamp(seconds, 0).map(|t| truncate_to_micros(t.naive_utc()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_expiry_is_read_from_the_certificate() {
        let mut params = rcgen::CertificateParams::new(vec!["localhost".to_owned()]).unwrap();
        params.not_after = rcgen::date_time_ymd(2031, 5, 17);
        let key = rcgen::KeyPair::generate().unwrap();
        let der = params.self_signed(&key).unwrap().der().to_vec();
        let expected = chrono::NaiveDate::from_ymd_opt(2031, 5, 17).unwrap().and_hms_opt(0, 0, 0).unwrap();
        assert_eq!(not_after(&der), Some(expected));
    }

    #[test]
    fn garbage_is_not_a_certificate() {
        assert_eq!(not_after(b"not a certificate"), None);
        assert_eq!(not_after(&[]), None);
    }
}
