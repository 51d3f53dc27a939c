//! Lists the rule tests share.

/// Every rule of the table that only the Threagile or pytm family raises.
pub const FAMILY_ONLY: &[&str] = &[
    "STRIDE-T-015",
    "STRIDE-S-007",
    "STRIDE-E-012",
    "STRIDE-E-013",
    "STRIDE-E-014",
    "STRIDE-E-015",
    "STRIDE-E-016",
    "STRIDE-E-017",
    "STRIDE-E-018",
    "STRIDE-I-012",
    "STRIDE-D-004",
    "STRIDE-T-016",
    "STRIDE-I-013",
    "STRIDE-R-005",
    "STRIDE-S-008",
    "STRIDE-T-017",
    "STRIDE-I-014",
    "STRIDE-S-009",
    "STRIDE-E-019",
    "STRIDE-I-015",
    "STRIDE-D-005",
    "STRIDE-E-020",
];
