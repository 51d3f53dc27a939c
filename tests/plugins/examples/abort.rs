//! Test plugin: see `guard_test_plugins::Mode::Abort`.
use guard_test_plugins::{Misbehave, Mode};

guard_plugin::export_plugin!(Misbehave(Mode::Abort));
