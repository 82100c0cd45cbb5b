#![no_main]
//! Decodes arbitrary bytes as every model, page and error body: any input
//! must give a value or an error, never a panic.

use doapi_core::endpoint::decode;
use doapi_core::http::{Response, StatusCode};
use doapi_core::models::*;
use doapi_core::{ApiError, ResponseInfo};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = decode::value::<Droplet>(data);
    let _ = decode::one::<Droplet>(data, "droplet");
    let _ = decode::page::<Droplet>(data, "droplets");
    let _ = decode::value::<Action>(data);
    let _ = decode::page::<Action>(data, "actions");
    let _ = decode::value::<Image>(data);
    let _ = decode::page::<Image>(data, "images");
    let _ = decode::value::<Region>(data);
    let _ = decode::value::<Size>(data);
    let _ = decode::value::<Account>(data);
    let _ = decode::value::<SshKey>(data);
    let _ = decode::value::<Domain>(data);
    let _ = decode::value::<DomainRecord>(data);
    let _ = decode::value::<FloatingIp>(data);
    let _ = decode::value::<Tag>(data);
    let _ = decode::value::<Volume>(data);
    let _ = decode::value::<Kernel>(data);
    let _ = decode::value::<Links>(data);
    let _ = decode::value::<Meta>(data);
    let _ = decode::value::<ErrorBody>(data);
    let _ = decode::page::<serde_json::Value>(data, "anything");
    let status = StatusCode::from_u16(400 + u16::from(data.first().copied().unwrap_or(0)) % 200)
        .unwrap_or(StatusCode::BAD_REQUEST);
    let resp = Response::builder().status(status).body(data.to_vec());
    if let Ok(resp) = resp {
        let info = ResponseInfo::new(resp.status(), resp.headers());
        let _ = ApiError::from_response(&info, resp.body());
    }
    if let Ok(d) = decode::value::<Droplet>(data) {
        // Encoding a decoded value never fails.
        serde_json::to_vec(&d).expect("a decoded droplet encodes");
    }
});
