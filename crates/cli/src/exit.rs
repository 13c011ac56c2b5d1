//! The exit statuses of `ltv-lens`: one per kind of failure, so that a script can tell a file the
//! analyzer refuses from a mistyped option or a file that cannot be read. `--help` lists them from
//! [`help`]; clap's own usage errors exit with [`Status::Usage`]'s code too.

/// Why a command failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// The input cannot be analysed (not a CSV, no header with a date and an amount column, no rows; a
    /// partial state that cannot be read or merged).
    Refused,
    /// An unknown or invalid option, argument or column override, or an output file that is the input.
    Usage,
    /// A file cannot be opened, read or written.
    Io,
}

impl Status {
    /// Every failure, in the order of their codes.
    const ALL: [Status; 3] = [Status::Refused, Status::Usage, Status::Io];

    /// The process exit code.
    pub const fn code(self) -> u8 {
        match self {
            Status::Refused => 1,
            Status::Usage => 2,
            Status::Io => 3,
        }
    }

    const fn meaning(self) -> &'static str {
        match self {
            Status::Refused => {
                "the input cannot be analysed (not a CSV, no header with an order date and an amount, \
                 no usable row; a partial state that cannot be read or merged)"
            }
            Status::Usage => {
                "bad usage: an unknown or invalid option, argument or column, or an output file that \
                 is the input"
            }
            Status::Io => "a file cannot be opened, read or written",
        }
    }
}

/// The "Exit status" paragraph of `--help`.
pub fn help() -> String {
    let mut text = String::from("Exit status:\n  0  success");
    for status in Status::ALL {
        text.push_str(&format!("\n  {}  {}", status.code(), status.meaning()));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_failure_has_its_own_code_after_success() {
        let codes: Vec<u8> = Status::ALL.iter().map(|s| s.code()).collect();
        assert_eq!(codes, [1, 2, 3]);
        let help = help();
        assert!(help.starts_with("Exit status:\n  0  success\n  1  the input cannot be analysed"));
        assert!(help.contains("\n  2  bad usage"), "{help}");
        assert!(help.ends_with("\n  3  a file cannot be opened, read or written"));
    }
}
