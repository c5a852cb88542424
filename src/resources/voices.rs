use super::{id_request, send_json};
use crate::error::Result;
use crate::models::{CloneVoice, ClonedVoice, CreateVoice, Voice};
use crate::operations::ops;
use crate::request::Request;
use crate::Client;

/// Voices (`client.voices()`). The API has no list.
///
/// ```no_run
/// use trillet::{models::{CloneVoice, CreateVoice}, FilePart};
/// let client = trillet::Client::from_env()?;
/// let cloned = client.voices().clone_voice(&CloneVoice::new(FilePart::from_path("sample.wav")).name("Mine"))?;
/// let embedding = cloned.embedding.unwrap_or_default();
/// let voice = client.voices().create(&CreateVoice::new("Sales voice", embedding).language("en"))?;
/// println!("{:?}", client.voices().get(voice.id.as_deref().unwrap_or_default())?.name);
/// # Ok::<(), trillet::Error>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Voices<'a> {
    client: &'a Client,
}

impl<'a> Voices<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Voices { client }
    }

    /// Gets a voice (`voices.get`).
    pub fn get(&self, id: &str) -> Result<Voice> {
        send_json(self.client, ops::VOICES_GET, &id_request("id", id)?)
    }

    /// Creates a custom voice from an embedding (`voices.create`).
    pub fn create(&self, voice: &CreateVoice) -> Result<Voice> {
        send_json(self.client, ops::VOICES_CREATE, &Request::new().json(voice))
    }

    /// Clones a voice from an audio sample (`voices.clone`, multipart field `file`).
    pub fn clone_voice(&self, voice: &CloneVoice) -> Result<ClonedVoice> {
        send_json(self.client, ops::VOICES_CLONE, &Request::new().json(voice).file(voice.file.clone()))
    }
}
