//! The direct renderings (`render_handshake_json`, and `render_handshake` built without the
//! owned wire struct) against the owned wire struct's derived `Serialize`: the same text byte
//! for byte, the same `Value`, and the same refusal for what a provider cannot express.

mod common;

use common::{alibaba_gen, aws_gen, huawei_gen};
use org_handshake::provider::{alibaba, aws, huawei, Provider, WireError};
use org_handshake::Handshake;
use proptest::prelude::*;
use serde::Serialize;

/// Renders `h` both ways for one provider and checks that they agree; returns whether the
/// provider could express it.
fn agree<W: Serialize>(
    provider: Provider,
    h: &Handshake,
    owned: impl Fn(&Handshake) -> Result<W, WireError>,
) -> Result<bool, TestCaseError> {
    let json = provider.render_handshake_json(h);
    let value = provider.render_handshake(h);
    match owned(h) {
        Ok(wire) => {
            let text = serde_json::to_string(&wire).unwrap();
            prop_assert_eq!(json.as_deref(), Ok(text.as_str()), "{} text", provider);
            prop_assert_eq!(
                value,
                Ok(serde_json::to_value(&wire).unwrap()),
                "{} value",
                provider
            );
            Ok(true)
        }
        Err(err) => {
            prop_assert_eq!(json, Err(err.clone()), "{} refusal (text)", provider);
            prop_assert_eq!(value, Err(err), "{} refusal (value)", provider);
            Ok(false)
        }
    }
}

fn agree_everywhere(h: &Handshake) -> Result<[bool; 3], TestCaseError> {
    let alibaba = agree(Provider::Alibaba, h, alibaba::WireHandshake::from_handshake)?;
    prop_assert_eq!(
        alibaba::check_expressible(h),
        alibaba::WireHandshake::from_handshake(h).map(drop),
        "check_expressible refuses what from_handshake refuses"
    );
    Ok([
        agree(Provider::Aws, h, aws::WireHandshake::from_handshake)?,
        agree(Provider::Huawei, h, huawei::WireHandshake::from_handshake)?,
        alibaba,
    ])
}

proptest! {
    #![proptest_config(common::proptest_config(
        512,
        concat!(env!("CARGO_MANIFEST_DIR"), "/proptest-regressions/render_json.txt"),
    ))]

    /// Handshakes each provider can express (every action, state, recipient kind and optional
    /// field its generator produces): rendered, never refused.
    #[test]
    fn expressible_handshakes_render_the_same_text(
        aws_h in aws_gen::handshake(),
        huawei_h in huawei_gen::expressible(),
        huawei_extras in huawei_gen::with_sender_extras(),
        alibaba_h in alibaba_gen::handshake(),
    ) {
        prop_assert!(agree_everywhere(&aws_h)?[0]);
        prop_assert!(agree_everywhere(&huawei_h)?[1]);
        prop_assert!(agree_everywhere(&huawei_extras)?[1]);
        prop_assert!(agree_everywhere(&alibaba_h)?[2]);
    }

    /// Any neutral handshake (mostly ones some provider cannot express): rendered the same, or
    /// refused with the same error.
    #[test]
    fn any_handshake_renders_or_is_refused_the_same(h in common::arb_handshake()) {
        agree_everywhere(&h)?;
    }
}
