//! Layer 5, infra: Terraform plan / HCL / IAM policy guard.

use guard_core::{Context, Finding, Layer, LayerError, LayerInfo};

pub struct InfraLayer;

pub fn layer() -> InfraLayer {
    InfraLayer
}

impl Layer for InfraLayer {
    fn id(&self) -> &'static str {
        "infra"
    }
    fn info(&self) -> LayerInfo {
        LayerInfo {
            id: "infra",
            name: "Infra",
            description: "Terraform plans, HCL and IAM policies",
            rules: &[],
        }
    }
    fn run(&self, _ctx: &Context) -> Result<Vec<Finding>, LayerError> {
        Err(LayerError::Other("infra layer under construction".into()))
    }
}
