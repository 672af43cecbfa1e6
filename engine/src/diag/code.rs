//! The stable kebab-case code of every diagnostic; each is listed in
//! docs/diagnostics.md (tests/diagnostics.rs checks it).

macro_rules! codes {
    ($($variant:ident => $code:literal,)*) => {
        /// The stable code of a diagnostic.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code { $($variant,)* }
        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code,)* }
            }
        }
    };
}

codes! {
    Syntax => "syntax",
    NestingTooDeep => "nesting-too-deep",
    InputTooLarge => "input-too-large",
    NotText => "not-text",
    EmptyInput => "empty-input",
    Io => "io",
    UnknownFact => "unknown-fact",
    UnknownName => "unknown-name",
    UnknownType => "unknown-type",
    UnknownCriterion => "unknown-criterion",
    UnknownOutcome => "unknown-outcome",
    UnknownVariant => "unknown-variant",
    UnknownFunction => "unknown-function",
    TypeMismatch => "type-mismatch",
    DuplicateCriterion => "duplicate-criterion",
    DuplicateName => "duplicate-name",
    DuplicateField => "duplicate-field",
    CriterionCycle => "criterion-cycle",
    DefCycle => "def-cycle",
    MissingPack => "missing-pack",
    MissingPlacement => "missing-placement",
    MissingOtherwise => "missing-otherwise",
    UnreachableBranch => "unreachable-branch",
    BadParam => "bad-param",
    BadLever => "bad-lever",
    UnknownSource => "unknown-source",
    BadSource => "bad-source",
    BadCite => "bad-cite",
    YamlSyntax => "yaml-syntax",
    YamlLimit => "yaml-limit",
    DuplicateKey => "duplicate-key",
    UnknownKey => "unknown-key",
    WrongType => "wrong-type",
    MissingField => "missing-field",
    BadValue => "bad-value",
    BadTier => "bad-tier",
    BadExpect => "bad-expect",
    BadPath => "bad-path",
    EvalLimit => "eval-limit",
    Internal => "internal",
}
