use super::{id_request, send_json, send_or_default, with_id};
use crate::error::Result;
use crate::models::{
    Ack, AvailableNumber, AvailableNumberSearch, BindNumber, BindResult, List, PhoneNumber, PhoneNumberConfig,
    Purchase, PurchaseNumber, RegisterExternalNumber, UpdatePhoneNumberConfig,
};
use crate::operations::ops;
use crate::request::Request;
use crate::Client;
use serde_json::json;

/// Phone numbers and telephony (`client.phone_numbers()`).
///
/// ```no_run
/// use trillet::models::{AvailableNumberSearch, BindNumber, PurchaseNumber};
/// let client = trillet::Client::from_env()?;
/// let numbers = client.phone_numbers();
/// let offer = numbers.search_available(&AvailableNumberSearch::new().country("US").area_code("415").limit(5))?;
/// let e164 = offer[0].phone_number.clone().unwrap_or_default();
/// let bought = numbers.purchase(&PurchaseNumber::new("US", "local", e164))?;
/// // The docs return the record, some deployments only the number: both read.
/// println!("{:?} / {:?}", bought.phone_number.as_ref().and_then(|n| n.phone_number()), bought.phone_number.as_ref().and_then(|n| n.id()));
/// for n in numbers.list()? {
///     println!("{:?} -> agent {:?}", n.phone_number, n.agent_id.as_ref().and_then(|a| a.id()));
/// }
/// numbers.bind("665a1b2c3d4e5f6a7b8c9d0e", "750cd920", &BindNumber::new().record_calls(true))?;
/// numbers.unbind("665a1b2c3d4e5f6a7b8c9d0e", "750cd920")?;
/// # Ok::<(), trillet::Error>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct PhoneNumbers<'a> {
    client: &'a Client,
}

impl<'a> PhoneNumbers<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        PhoneNumbers { client }
    }

    /// Lists the workspace's numbers (`phone_numbers.list`; a bare array, or `{phoneNumbers: [...]}`
    /// as the docs describe).
    pub fn list(&self) -> Result<List<PhoneNumber>> {
        send_json(self.client, ops::PHONE_NUMBERS_LIST, &Request::new())
    }

    /// Searches numbers available to buy (`phone_numbers.search_available`; `{numbers: [...]}`).
    pub fn search_available(&self, search: &AvailableNumberSearch) -> Result<List<AvailableNumber>> {
        let mut req = Request::new();
        for (name, value) in search.query_pairs() {
            req = req.query(name, value);
        }
        send_json(self.client, ops::PHONE_NUMBERS_SEARCH_AVAILABLE, &req)
    }

    /// Buys a number (`phone_numbers.purchase`); `phone_number` must be E.164. Never retried.
    pub fn purchase(&self, purchase: &PurchaseNumber) -> Result<Purchase> {
        send_json(self.client, ops::PHONE_NUMBERS_PURCHASE, &Request::new().json(purchase))
    }

    /// Gets a number's configuration (`phone_numbers.get_config`).
    pub fn get_config(&self, phone_number_id: &str) -> Result<PhoneNumberConfig> {
        send_json(self.client, ops::PHONE_NUMBERS_GET_CONFIG, &id_request("phoneNumberId", phone_number_id)?)
    }

    /// Updates a number's configuration (`phone_numbers.update_config`).
    pub fn update_config(&self, phone_number_id: &str, config: &UpdatePhoneNumberConfig) -> Result<Ack> {
        let req = id_request("phoneNumberId", phone_number_id)?.json(config);
        send_or_default(self.client, ops::PHONE_NUMBERS_UPDATE_CONFIG, &req)
    }

    /// Registers a number from another carrier (`phone_numbers.register_external`); the number
    /// must be E.164.
    pub fn register_external(&self, number: &RegisterExternalNumber) -> Result<Ack> {
        send_or_default(self.client, ops::PHONE_NUMBERS_REGISTER_EXTERNAL, &Request::new().json(number))
    }

    /// Binds a number to an agent, which must already have a call flow (`phone_numbers.bind`).
    pub fn bind(&self, agent_id: &str, phone_number_id: &str, options: &BindNumber) -> Result<BindResult> {
        let req = with_id(id_request("agentId", agent_id)?, "phoneNumberId", phone_number_id)?.json(options);
        send_json(self.client, ops::PHONE_NUMBERS_BIND, &req)
    }

    /// Detaches a number from an agent; the number stays in the workspace (`phone_numbers.unbind`).
    pub fn unbind(&self, agent_id: &str, phone_number_id: &str) -> Result<Ack> {
        let req = with_id(id_request("agentId", agent_id)?, "phoneNumberId", phone_number_id)?;
        send_or_default(self.client, ops::PHONE_NUMBERS_UNBIND, &req)
    }

    /// Gives a number back (`phone_numbers.release`; undocumented, an empty answer reads as an
    /// empty [`Ack`]).
    pub fn release(&self, phone_number_id: &str) -> Result<Ack> {
        let req = Request::new().json(&json!({"phoneNumberId": phone_number_id}));
        send_or_default(self.client, ops::PHONE_NUMBERS_RELEASE, &req)
    }

    /// Gets a number (`phone_numbers.get`; seen only in a probe script, so its answer is
    /// undocumented: `None` when the body is empty).
    pub fn get(&self, phone_number_id: &str) -> Result<Option<PhoneNumber>> {
        send_json(self.client, ops::PHONE_NUMBERS_GET, &id_request("phoneNumberId", phone_number_id)?)
    }
}
