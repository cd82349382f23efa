//! The on-disk format of a cache file: versioned, either plain JSON or sealed with
//! XChaCha20-Poly1305 under a key from the OS keyring. Pure: no I/O, the key is an argument.
//!
//! The associated data binds a sealed file to its slot (`<digest>.<kind>`), so swapping two
//! sealed files, or renaming one, fails to open rather than serving the wrong identity.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};

pub const VERSION: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
pub struct Envelope {
    pub version: u32,
    #[serde(flatten)]
    pub body: Body,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "format", rename_all = "lowercase")]
pub enum Body {
    Plain { data: serde_json::Value },
    Sealed { nonce: String, ciphertext: String },
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum EnvelopeError {
    #[error("not a kubectl-oidc cache file: {0}")]
    Format(String),
    #[error("written by a newer kubectl-oidc (format version {0})")]
    Version(u32),
    #[error("sealed, but no key was given")]
    NeedsKey,
    #[error(
        "cannot be opened with the key from the OS keyring (tampered, or the key was replaced)"
    )]
    Open,
}

impl Envelope {
    pub fn plain(data: serde_json::Value) -> Self {
        Self {
            version: VERSION,
            body: Body::Plain { data },
        }
    }

    pub fn seal(data: &serde_json::Value, key: &[u8; 32], nonce: [u8; 24], aad: &str) -> Self {
        let cipher = XChaCha20Poly1305::new(key.into());
        let plaintext = data.to_string();
        // Encryption with a valid key and nonce length cannot fail.
        let ciphertext = cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: plaintext.as_bytes(),
                    aad: aad.as_bytes(),
                },
            )
            .unwrap_or_default();
        Self {
            version: VERSION,
            body: Body::Sealed {
                nonce: STANDARD.encode(nonce),
                ciphertext: STANDARD.encode(ciphertext),
            },
        }
    }

    pub fn parse(bytes: &[u8]) -> Result<Self, EnvelopeError> {
        #[derive(Deserialize)]
        struct V {
            version: u32,
        }
        let v: V =
            serde_json::from_slice(bytes).map_err(|e| EnvelopeError::Format(e.to_string()))?;
        if v.version > VERSION {
            return Err(EnvelopeError::Version(v.version));
        }
        serde_json::from_slice(bytes).map_err(|e| EnvelopeError::Format(e.to_string()))
    }

    pub fn is_sealed(&self) -> bool {
        matches!(self.body, Body::Sealed { .. })
    }

    /// The payload; `key` is needed only for a sealed envelope.
    pub fn open(
        self,
        key: Option<&[u8; 32]>,
        aad: &str,
    ) -> Result<serde_json::Value, EnvelopeError> {
        match self.body {
            Body::Plain { data } => Ok(data),
            Body::Sealed { nonce, ciphertext } => {
                let key = key.ok_or(EnvelopeError::NeedsKey)?;
                let nonce = STANDARD.decode(nonce).map_err(|_| EnvelopeError::Open)?;
                let ciphertext = STANDARD
                    .decode(ciphertext)
                    .map_err(|_| EnvelopeError::Open)?;
                if nonce.len() != 24 {
                    return Err(EnvelopeError::Open);
                }
                let plaintext = XChaCha20Poly1305::new(key.into())
                    .decrypt(
                        XNonce::from_slice(&nonce),
                        Payload {
                            msg: &ciphertext,
                            aad: aad.as_bytes(),
                        },
                    )
                    .map_err(|_| EnvelopeError::Open)?;
                serde_json::from_slice(&plaintext).map_err(|e| EnvelopeError::Format(e.to_string()))
            }
        }
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn plain_round_trip() {
        let e = Envelope::plain(json!({"id_token": "a.b.c"}));
        let back = Envelope::parse(&e.to_bytes()).unwrap();
        assert!(!back.is_sealed());
        assert_eq!(back.open(None, "x").unwrap(), json!({"id_token": "a.b.c"}));
    }

    #[test]
    fn sealed_round_trip_and_failures() {
        let key = [7u8; 32];
        let data = json!({"refresh_token": "very-secret"});
        let bytes = Envelope::seal(&data, &key, [1u8; 24], "k.session").to_bytes();
        assert!(!String::from_utf8_lossy(&bytes).contains("very-secret"));
        let open =
            |key: Option<&[u8; 32]>, aad: &str| Envelope::parse(&bytes).unwrap().open(key, aad);
        assert_eq!(open(Some(&key), "k.session").unwrap(), data);
        assert_eq!(
            open(None, "k.session").unwrap_err(),
            EnvelopeError::NeedsKey
        );
        assert_eq!(
            open(Some(&[8u8; 32]), "k.session").unwrap_err(),
            EnvelopeError::Open
        );
        assert_eq!(
            open(Some(&key), "other.session").unwrap_err(),
            EnvelopeError::Open
        );
    }

    #[test]
    fn corrupt_and_future_files() {
        assert!(matches!(
            Envelope::parse(b"\x00garbage"),
            Err(EnvelopeError::Format(_))
        ));
        assert!(matches!(
            Envelope::parse(b"{\"version\":1}"),
            Err(EnvelopeError::Format(_))
        ));
        assert_eq!(
            Envelope::parse(br#"{"version":9,"format":"plain","data":{}}"#).unwrap_err(),
            EnvelopeError::Version(9)
        );
    }
}
