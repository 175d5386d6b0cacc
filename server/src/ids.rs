//! Where new ids come from: handshake ids from the core's seeded stream (recorded, so that the
//! journal names the ids a call used), request ids in UUID form from a splitmix64 stream; both
//! reproducible under `--seed`, both seeded from the OS without it.

use std::hash::{BuildHasher, Hasher};

use org_handshake::{HandshakeId, IdSource, IdSourceError, OrganizationId, Profile, SeededIds};

/// A seed from the OS (std's hasher keys are drawn from OS randomness).
pub(crate) fn os_seed() -> u64 {
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    hasher.finish()
}

/// Records the ids a call draws, so that its journal line names them.
pub(crate) struct Recording<'a> {
    pub(crate) inner: &'a mut SeededIds,
    pub(crate) drawn: Vec<String>,
}

impl IdSource for Recording<'_> {
    fn next_id(&mut self, profile: &Profile) -> Result<HandshakeId, IdSourceError> {
        let id = self.inner.next_id(profile)?;
        self.drawn.push(id.as_str().to_owned());
        Ok(id)
    }

    fn next_organization_id(&mut self, profile: &Profile) -> Result<OrganizationId, IdSourceError> {
        let id = self.inner.next_organization_id(profile)?;
        self.drawn.push(id.as_str().to_owned());
        Ok(id)
    }
}

/// Request ids in UUID form (version-4 layout), from a splitmix64 stream: reproducible under
/// `--seed`, as the handshake ids are.
pub(crate) struct RequestIds {
    state: u64,
}

impl RequestIds {
    /// The stream of `seed` for a server that replayed `replayed` journal lines at start (kept
    /// apart from the handshake ids' stream of the same seed). Read calls are not journaled, so
    /// a restart cannot tell how far the stream had run: it starts another stream instead, one
    /// per journal length, rather than give the request ids of before the restart again. The
    /// same seed and journal still give the same ids.
    pub(crate) fn new(seed: u64, replayed: u64) -> Self {
        let mut stream = RequestIds {
            state: seed ^ 0x5EED_0F00_D15E_A5E5,
        };
        if replayed > 0 {
            // Mixed through the generator, so that nearby lengths give unrelated streams.
            stream.state ^= replayed.wrapping_mul(0xD6E8_FEB8_6659_FD93);
            stream.state = stream.next_u64();
        }
        stream
    }

    fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub(crate) fn next(&mut self) -> String {
        let (a, b) = (self.next_u64(), self.next_u64());
        format!(
            "{:08x}-{:04x}-4{:03x}-{:x}{:03x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xfff,
            8 | (b >> 62),
            (b >> 48) & 0xfff,
            b & 0xffff_ffff_ffff
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_are_uuid_shaped_distinct_and_reproducible() {
        let (mut a, mut b) = (RequestIds::new(7, 0), RequestIds::new(7, 0));
        let first = a.next();
        assert_eq!(first, b.next());
        assert_ne!(first, a.next());
        let groups: Vec<usize> = first.split('-').map(str::len).collect();
        assert_eq!(groups, [8, 4, 4, 4, 12]);
        assert_eq!(&first[14..15], "4");
        assert!(matches!(&first[19..20], "8" | "9" | "a" | "b"), "{first}");
    }

    #[test]
    fn a_restart_over_a_journal_gives_ids_of_its_own_stream() {
        let first_run: Vec<String> = {
            let mut ids = RequestIds::new(7, 0);
            (0..1000).map(|_| ids.next()).collect()
        };
        for replayed in [1, 2, 3, 1000] {
            let mut restarted = RequestIds::new(7, replayed);
            let again: Vec<String> = (0..1000).map(|_| restarted.next()).collect();
            assert!(
                again.iter().all(|id| !first_run.contains(id)),
                "after {replayed} lines"
            );
            assert_eq!(
                again[0],
                RequestIds::new(7, replayed).next(),
                "reproducible"
            );
        }
        assert_ne!(RequestIds::new(7, 1).next(), RequestIds::new(7, 2).next());
    }
}
