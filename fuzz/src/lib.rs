//! Pieces shared by the fuzz targets: structured inputs (`arbitrary`) that map onto protocol
//! messages, biased towards the edge cases the server checks (blank and invisible names, the exact
//! length limit, right and wrong teacher keys, signals a browser would reject).

use arbitrary::Arbitrary;
use classroom::protocol::{ClientMsg, MediaState, PeerId, SdpType, Signal, MAX_CANDIDATE_BYTES};
use classroom::server::room::RoomSpec;
use classroom::server::secret;

/// The teacher key of every fuzzed room.
pub const KEY: &str = "the-teacher-key";

/// A room spec with the fuzz teacher key.
pub fn spec(id: &str, capacity: usize) -> RoomSpec {
    RoomSpec {
        id: id.into(),
        name: "Fuzz".into(),
        teacher_key_hash: secret::hash(KEY),
        capacity,
        ice_servers: vec![],
    }
}

/// A display name as typed.
#[derive(Arbitrary, Debug, Clone)]
pub enum Name {
    Plain,
    Blank,
    Invisible,
    Bidi,
    /// Exactly the limit (40 characters, 3 bytes each).
    Longest,
    /// One over the limit.
    TooLong,
    Custom(String),
}

impl Name {
    pub fn text(&self) -> String {
        match self {
            Name::Plain => "Minji".into(),
            Name::Blank => " \t\n ".into(),
            Name::Invisible => "\u{200B}\u{3164}\u{FEFF}".into(),
            Name::Bidi => "\u{202E}nimda\u{2066}".into(),
            Name::Longest => "가".repeat(40),
            Name::TooLong => "가".repeat(41),
            Name::Custom(s) => s.clone(),
        }
    }
}

/// The `teacher_key` of a join.
#[derive(Arbitrary, Debug, Clone)]
pub enum Key {
    Student,
    Teacher,
    Wrong,
    Custom(String),
}

impl Key {
    pub fn key(&self) -> Option<String> {
        match self {
            Key::Student => None,
            Key::Teacher => Some(KEY.into()),
            Key::Wrong => Some("guess".into()),
            Key::Custom(s) => Some(s.clone()),
        }
    }
}

/// A negotiation payload, valid or not.
#[derive(Arbitrary, Debug, Clone)]
pub enum Sig {
    Offer,
    Answer,
    Rollback,
    EmptyOffer,
    Candidate,
    EndOfCandidates,
    NoMid,
    TwoLines,
    TooLong,
    NotACandidate,
    Unknown,
    Description {
        sdp_type: u8,
        sdp: String,
    },
    Custom {
        candidate: String,
        sdp_mid: Option<String>,
        sdp_m_line_index: Option<u16>,
    },
}

impl Sig {
    pub fn signal(&self) -> Signal {
        let candidate = |c: &str, mid: Option<&str>| Signal::Candidate {
            candidate: c.into(),
            sdp_mid: mid.map(Into::into),
            sdp_m_line_index: None,
        };
        let description = |t, sdp: &str| Signal::Description {
            sdp_type: t,
            sdp: sdp.into(),
        };
        const HOST: &str = "candidate:1 1 udp 2122 127.0.0.1 5000 typ host";
        match self {
            Sig::Offer => description(SdpType::Offer, "v=0\r\n"),
            Sig::Answer => description(SdpType::Answer, "v=0\r\n"),
            Sig::Rollback => description(SdpType::Rollback, ""),
            Sig::EmptyOffer => description(SdpType::Offer, " "),
            Sig::Candidate => candidate(HOST, Some("0")),
            Sig::EndOfCandidates => candidate("", Some("0")),
            Sig::NoMid => candidate(HOST, None),
            Sig::TwoLines => candidate("candidate:1\r\na=x", Some("0")),
            Sig::TooLong => candidate(
                &format!("candidate:{}", "1".repeat(MAX_CANDIDATE_BYTES)),
                Some("0"),
            ),
            Sig::NotACandidate => candidate("a=candidate:1", Some("0")),
            Sig::Unknown => Signal::Unknown,
            Sig::Description { sdp_type, sdp } => {
                let t = match sdp_type % 4 {
                    0 => SdpType::Offer,
                    1 => SdpType::Answer,
                    2 => SdpType::Pranswer,
                    _ => SdpType::Rollback,
                };
                description(t, sdp)
            }
            Sig::Custom {
                candidate,
                sdp_mid,
                sdp_m_line_index,
            } => Signal::Candidate {
                candidate: candidate.clone(),
                sdp_mid: sdp_mid.clone(),
                sdp_m_line_index: *sdp_m_line_index,
            },
        }
    }
}

/// A join message.
pub fn join(room: &str, name: &Name, key: &Key, audio: bool, video: bool) -> ClientMsg {
    ClientMsg::Join {
        room: room.into(),
        name: name.text(),
        teacher_key: key.key(),
        media: MediaState { audio, video },
    }
}

/// A signal message.
pub fn signal(to: PeerId, from: Option<PeerId>, sig: &Sig) -> ClientMsg {
    ClientMsg::Signal {
        to,
        from,
        data: sig.signal(),
    }
}
