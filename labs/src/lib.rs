//! Labs: graded scenarios written by instructors. The format, the grader
//! and the validator live here; the scenarios themselves are files under
//! `labs/scenarios/`, bundled into the binary at build time.
//!
//! **Architecture Invariant:** labs grade cluster state, never the commands
//! a learner typed.

/// A bundled lab file: its path (for messages) and text.
#[derive(Clone, Copy, Debug)]
pub struct LabFile {
    pub path: &'static str,
    pub text: &'static str,
}

/// The labs shipped with Dinghy. The lab format arrives with its own issue;
/// until then the set is empty and validation of it passes trivially.
pub const BUNDLED: &[LabFile] = &[];

/// One problem the validator found, naming the file and the spot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub path: String,
    pub message: String,
}

/// Validates lab files; an empty list means every lab is sound.
pub fn validate(files: &[LabFile]) -> Vec<Problem> {
    files
        .iter()
        .filter(|f| f.text.trim().is_empty())
        .map(|f| Problem {
            path: f.path.to_string(),
            message: "the file is empty".to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_lab_file_is_reported_by_path() {
        let problems = validate(&[LabFile {
            path: "labs/scenarios/x.md",
            text: "  ",
        }]);
        assert_eq!(
            problems,
            vec![Problem {
                path: "labs/scenarios/x.md".into(),
                message: "the file is empty".into()
            }]
        );
        assert!(validate(BUNDLED).is_empty());
    }
}
