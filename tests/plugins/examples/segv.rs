//! Test plugin: see `guard_test_plugins::Mode::Segv`.
use guard_test_plugins::{Misbehave, Mode};

guard_plugin::export_plugin!(Misbehave(Mode::Segv));
