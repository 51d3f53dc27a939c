//! Layer 6, network: egress allowlists, firewall generation, capture and firewall audit.

pub mod allowlist;
pub mod capture;
pub mod config;
pub mod firewall;
pub mod firewall_audit;
pub mod profiles;
pub mod rules;

pub use allowlist::{AllowCidr, AllowEntry, Allowlist, AllowlistError, AllowlistSpec};
pub use config::NetworkConfig;

use guard_core::{Context, Finding, Layer, LayerError, LayerInfo};

pub struct NetworkLayer;

pub fn layer() -> NetworkLayer {
    NetworkLayer
}

impl Layer for NetworkLayer {
    fn id(&self) -> &'static str {
        "network"
    }
    fn info(&self) -> LayerInfo {
        LayerInfo {
            id: "network",
            name: "Network",
            description: "egress allowlists and audits",
            rules: &[],
        }
    }
    fn run(&self, _ctx: &Context) -> Result<Vec<Finding>, LayerError> {
        Err(LayerError::Other("network layer under construction".into()))
    }
}
