//! The integration tests, one binary (as ripgrep and cargo do): the real plugin binary against
//! a real OpenID provider (tests/idp, npm `oidc-provider`) and the real kubectl, one module per
//! subject. One binary links the crate once instead of once per file.

mod common;

mod apiserver;
mod browser;
mod cache_faults;
mod clusters;
mod config;
mod defects;
mod desktop;
mod dex;
mod differential;
mod dist;
mod doctor;
mod e2e;
mod faults;
mod flows;
mod fuzz_smoke;
mod hostile;
mod keycloak;
mod keyring;
mod kubeconfig;
mod kuberc;
mod lifecycle;
mod machines;
mod providers;
mod setup;
mod style;
mod sweep;
