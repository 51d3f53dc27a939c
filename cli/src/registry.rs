//! The layers compiled into this binary.

use guard_core::Layer;
use std::sync::Arc;

pub fn all_layers() -> Vec<Arc<dyn Layer>> {
    #[allow(unused_mut)]
    let mut layers: Vec<Arc<dyn Layer>> = vec![
        Arc::new(guard_agent_policy::layer()),
        Arc::new(guard_infra::layer()),
        Arc::new(guard_network::layer()),
        Arc::new(guard_owasp::layer()),
        Arc::new(guard_review::layer()),
        Arc::new(guard_stride::layer()),
    ];
    #[cfg(feature = "bench-builtin-hello")]
    if std::env::var_os("GUARD_BUILTIN_HELLO").is_some_and(|v| v == "1") {
        layers.push(Arc::new(guard_plugin_hello::layer()));
    }
    #[cfg(feature = "test-layers")]
    if std::env::var_os("GUARD_TEST_LAYERS").is_some_and(|v| v == "1") {
        layers = guard_core::testing::test_layers();
    }
    layers
}
