//! A value as a door received it, before the use case reads it: the CLI's flags, a form's text
//! fields and a JSON body all say "not given", "cleared" or "this", and a form may also carry
//! text that is not a number at all.

/// One input value of type `T`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Input<T> {
    /// Not given: a change leaves the value as it is; a new record takes the default.
    #[default]
    Absent,
    /// Explicitly cleared (`"interval_secs": null`).
    Null,
    Value(T),
    /// Given, but not readable as a `T`; the message says why.
    Unreadable(String),
}

impl<T> Input<T> {
    /// `None` becomes `Absent`.
    pub fn from_option(value: Option<T>) -> Input<T> {
        value.map_or(Input::Absent, Input::Value)
    }

    /// `None` becomes `Null` (a JSON field present but null).
    pub fn from_nullable(value: Option<T>) -> Input<T> {
        value.map_or(Input::Null, Input::Value)
    }
}

impl Input<i64> {
    /// A form's text field: empty means `empty` (absent for a new record, cleared for an edit).
    pub fn from_text(raw: &str, empty: Input<i64>) -> Input<i64> {
        let raw = raw.trim();
        if raw.is_empty() {
            return empty;
        }
        match raw.parse::<i64>() {
            Ok(n) => Input::Value(n),
            Err(_) => Input::Unreadable(format!("`{raw}` is not a whole number")),
        }
    }

    /// A number read from a file that may hold fractions, NaN or infinities: only finite whole
    /// numbers pass.
    pub fn from_float(value: f64) -> Input<i64> {
        if value.is_finite() && value.fract() == 0.0 && value.abs() < 1e15 {
            Input::Value(value as i64)
        } else {
            Input::Unreadable(format!("{value} is not a whole number"))
        }
    }
}

impl Input<bool> {
    /// A checkbox: browsers send the field only when it is ticked.
    pub fn checkbox(raw: Option<&str>) -> Input<bool> {
        Input::Value(raw.is_some_and(|v| !v.is_empty() && v != "off" && v != "false"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_text_is_read_as_a_whole_number_or_explained() {
        assert_eq!(Input::from_text(" 60 ", Input::Absent), Input::Value(60));
        assert_eq!(Input::from_text("", Input::Null), Input::Null);
        assert_eq!(Input::from_text("  ", Input::Absent), Input::Absent);
        assert!(matches!(Input::from_text("sixty", Input::Absent), Input::Unreadable(m) if m.contains("`sixty`")));
    }

    #[test]
    fn floats_must_be_finite_whole_numbers() {
        assert_eq!(Input::from_float(120.0), Input::Value(120));
        for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 1.5, 1e300] {
            assert!(matches!(Input::from_float(bad), Input::Unreadable(_)), "{bad}");
        }
    }

    #[test]
    fn checkboxes_are_on_only_when_sent() {
        assert_eq!(Input::checkbox(Some("on")), Input::Value(true));
        assert_eq!(Input::checkbox(None), Input::Value(false));
    }
}
