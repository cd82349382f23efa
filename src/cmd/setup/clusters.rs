//! `setup --cluster NAME --cluster-setting FLAG=VALUE`: one user entry for many clusters. The
//! cluster gets the `client.authentication.k8s.io/exec` extension that chooses what differs
//! for it (`cli::cluster`), and the user entry `provideClusterInfo: true`, so that kubectl
//! passes that choice to get-token. An entry shared so stays shared when setup writes it again.

use serde_json::Value as Json;

use crate::cli::cluster::Choice;
use crate::cli::{SetupArgs, TokenArgs};
use crate::error::{Error, Kind};
use crate::kubeconfig::write;

/// What `--cluster-setting` asked for.
pub struct Shared {
    /// The cluster and its extension's config, when settings were given.
    cluster: Option<(String, Json)>,
    choice: Choice,
}

impl Shared {
    pub fn of(args: &SetupArgs) -> anyhow::Result<Self> {
        let (Some(cluster), false) = (&args.cluster, args.cluster_setting.is_empty()) else {
            return Ok(Self {
                cluster: None,
                choice: Choice::default(),
            });
        };
        let config = Choice::config_of(&args.cluster_setting).map_err(|e| {
            Error::new(
                Kind::Usage,
                format!("{e}; nothing was written or logged in"),
            )
        })?;
        let choice = Choice::from_config(Some(&config)).map_err(|e| Error::new(Kind::Usage, e))?;
        Ok(Self {
            cluster: Some((cluster.clone(), config)),
            choice,
        })
    }

    /// The flags setup logs in with: the cluster's choice on top of the entry's, as get-token
    /// will see them through kubectl.
    pub fn login_args(&self, args: &SetupArgs) -> TokenArgs {
        let mut login = args.token_args.clone();
        self.choice.apply(&mut login.entry);
        login
    }

    /// The user object setup writes (as `kubectl config view -o json` shows it): shared when
    /// this cluster chooses something.
    pub fn user(&self, get_token_args: &[String]) -> Json {
        let mut user = write::exec_user(get_token_args, None);
        if self.cluster.is_some() {
            user["exec"]["provideClusterInfo"] = true.into();
        }
        user
    }

    /// [`Self::user`], shared also when the kubeconfig's entry of that name is shared already
    /// (other clusters choose through it).
    pub fn user_beside(&self, get_token_args: &[String], existing: Option<&Json>) -> Json {
        let mut user = self.user(get_token_args);
        if existing.is_some_and(|u| u["exec"]["provideClusterInfo"] == true) {
            user["exec"]["provideClusterInfo"] = true.into();
        }
        user
    }

    /// The cluster's extension to write, if any.
    pub fn extension(&self) -> Vec<(String, Json)> {
        self.cluster.iter().cloned().collect()
    }
}
