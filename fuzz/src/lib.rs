//! Pieces shared by the fuzz targets: structured inputs (`arbitrary`) that map onto protocol
//! messages, biased towards the edge cases the server checks (blank and invisible names, the exact
//! length limits, right and wrong teacher keys, signals a browser would reject, clocks that jump).

use arbitrary::Arbitrary;
use classroom::protocol::{
    ChatLine, ClientMsg, MediaState, PeerId, Role, SdpType, ServerMsg, SettingsChange, Signal,
    UnixMillis, MAX_CANDIDATE_BYTES, MAX_CHAT_CHARS,
};
use classroom::server::room::RoomSpec;
use classroom::server::secret;

/// The teacher key of every fuzzed room.
pub const KEY: &str = "the-teacher-key";

/// Where connections come from: few enough that a student turned away knocks again from the same
/// place, under the same or another name.
pub const ADDRESSES: [&str; 3] = ["10.0.0.1", "10.0.0.2", "2001:db8::1"];

/// A room spec with the fuzz teacher key and `history` as the chat of earlier sessions.
pub fn spec(id: &str, capacity: usize, auto_admit: bool, history: usize) -> RoomSpec {
    let line = |n: usize| ChatLine {
        // Earlier sessions' lines carry no peer id: ids are per process.
        from: None,
        name: "Kim".into(),
        role: if n % 2 == 0 {
            Role::Teacher
        } else {
            Role::Student
        },
        text: format!("line {n}"),
        at: n as UnixMillis,
    };
    RoomSpec {
        id: id.into(),
        name: "Fuzz".into(),
        teacher_key_hash: secret::hash(KEY),
        capacity,
        // Half the capacity: rooms move to the media server as they fill (or by class mode).
        mesh_size: capacity / 2,
        ice_servers: vec![],
        turn: None,
        auto_admit,
        chat: (0..history).map(line).collect(),
        resume_grace: 15_000,
    }
}

/// The address of a join, from [`ADDRESSES`].
pub fn address(n: u8) -> String {
    ADDRESSES[usize::from(n) % ADDRESSES.len()].into()
}

/// A display name as typed.
#[derive(Arbitrary, Debug, Clone)]
pub enum Name {
    Plain,
    /// `Plain` in other case: the same knock as far as "turned away" goes.
    Shouted,
    Other,
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
            Name::Shouted => " MINJI ".into(),
            Name::Other => "Joon".into(),
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

    /// Whether a join with this key may come in as a teacher.
    pub fn is_teacher(&self) -> bool {
        self.key().as_deref() == Some(KEY)
    }
}

/// Microphone, camera, screen.
#[derive(Arbitrary, Debug, Clone, Copy)]
pub struct Media {
    pub audio: bool,
    pub video: bool,
    pub screen: bool,
}

impl Default for Media {
    /// Microphone and camera on, as a browser joins.
    fn default() -> Self {
        Media {
            audio: true,
            video: true,
            screen: false,
        }
    }
}

impl Media {
    pub fn state(self) -> MediaState {
        MediaState {
            audio: self.audio,
            video: self.video,
            screen: self.screen,
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

/// A chat message as typed.
#[derive(Arbitrary, Debug, Clone)]
pub enum Text {
    Plain,
    /// Markup and surrounding blank lines, kept as text.
    Lines,
    Blank,
    Invisible,
    /// Exactly the limit (2000 characters, 3 bytes each).
    Longest,
    /// One over the limit.
    TooLong,
    Custom(String),
}

impl Text {
    pub fn text(&self) -> String {
        match self {
            Text::Plain => "hello".into(),
            Text::Lines => "\n  <b>hi</b>\n 2+2?  \n\n".into(),
            Text::Blank => " \n\t ".into(),
            Text::Invisible => "\u{200B}\n\u{202E}".into(),
            Text::Longest => "가".repeat(MAX_CHAT_CHARS),
            Text::TooLong => "가".repeat(MAX_CHAT_CHARS + 1),
            Text::Custom(s) => s.clone(),
        }
    }
}

/// A message a client sends once it has joined (or is waiting), aimed at peers named by a `u8`
/// that the target maps onto the ids in play.
#[derive(Arbitrary, Debug, Clone)]
pub enum Action {
    Signal {
        to: u8,
        from: Option<u8>,
        sig: Sig,
    },
    /// A signal to any id at all, most not in play.
    SignalFar {
        to: PeerId,
        sig: Sig,
    },
    /// A signal to the media peer (id 0), refused in a mesh.
    SignalMedia(Sig),
    /// The cameras shown: peers by `u8` (0–2 quality each); `extra` more tiles past the limit test.
    View {
        tiles: Vec<(u8, u8)>,
        extra: u8,
    },
    Media(Media),
    Leave,
    RaiseHand,
    LowerHand(Option<u8>),
    Chat(Text),
    Admit(u8),
    Deny(u8),
    AdmitAll,
    Mute(u8),
    MuteAll,
    AllowSpeak(u8),
    RevokeSpeak(u8),
    Remove(u8),
    /// Any id at all as the target of a teacher's action.
    RemoveFar(PeerId),
    Settings([Option<bool>; 6]),
    EndClass,
    /// A join sent again on a joined connection.
    JoinAgain,
    /// Any text the client sends that parses.
    Raw(String),
}

impl Action {
    /// The message, with `id` naming the peers; `None` if a `Raw` does not parse.
    pub fn msg(&self, id: impl Fn(u8) -> PeerId) -> Option<ClientMsg> {
        Some(match self {
            Action::Signal { to, from, sig } => signal(id(*to), from.map(&id), sig),
            Action::SignalFar { to, sig } => signal(*to, None, sig),
            Action::SignalMedia(sig) => signal(classroom::protocol::MEDIA_PEER, None, sig),
            Action::View { tiles, extra } => {
                use classroom::protocol::{Quality, Tile};
                let quality = [Quality::Low, Quality::Medium, Quality::High];
                let mut shown: Vec<Tile> = tiles
                    .iter()
                    .map(|&(p, q)| Tile {
                        peer: id(p),
                        quality: quality[usize::from(q % 3)],
                    })
                    .collect();
                // Now and then past MAX_VIEW_TILES, which must be refused whole.
                if *extra > 250 {
                    let filler = Tile {
                        peer: id(0),
                        quality: Quality::Low,
                    };
                    shown.resize(classroom::protocol::MAX_VIEW_TILES + 1, filler);
                }
                ClientMsg::View { tiles: shown }
            }
            Action::Media(m) => ClientMsg::Media(m.state()),
            Action::Leave => ClientMsg::Leave,
            Action::RaiseHand => ClientMsg::RaiseHand,
            Action::LowerHand(peer) => ClientMsg::LowerHand {
                peer: peer.map(&id),
            },
            Action::Chat(text) => ClientMsg::Chat { text: text.text() },
            Action::Admit(p) => ClientMsg::Admit { peer: id(*p) },
            Action::Deny(p) => ClientMsg::Deny { peer: id(*p) },
            Action::AdmitAll => ClientMsg::AdmitAll,
            Action::Mute(p) => ClientMsg::Mute { peer: id(*p) },
            Action::MuteAll => ClientMsg::MuteAll,
            Action::AllowSpeak(p) => ClientMsg::AllowSpeak { peer: id(*p) },
            Action::RevokeSpeak(p) => ClientMsg::RevokeSpeak { peer: id(*p) },
            Action::Remove(p) => ClientMsg::Remove { peer: id(*p) },
            Action::RemoveFar(p) => ClientMsg::Remove { peer: *p },
            Action::Settings([a, m, r, c, s, k]) => ClientMsg::Settings(SettingsChange {
                auto_admit: *a,
                mics_locked: *m,
                room_locked: *r,
                chat_locked: *c,
                students_may_share: *s,
                class_mode: *k,
            }),
            Action::EndClass => ClientMsg::EndClass,
            Action::JoinAgain => join("r1", &Name::Plain, &Key::Student, Media::default()),
            Action::Raw(json) => serde_json::from_str(json).ok()?,
        })
    }
}

/// A join message.
pub fn join(room: &str, name: &Name, key: &Key, media: Media) -> ClientMsg {
    ClientMsg::Join {
        room: room.into(),
        name: name.text(),
        teacher_key: key.key(),
        media: media.state(),
        attendee: None,
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

/// What someone not (yet) in the class may be sent: nothing of the class itself.
pub fn fit_for_the_waiting(msg: &ServerMsg) -> bool {
    matches!(
        msg,
        ServerMsg::Waiting { .. }
            | ServerMsg::Joined { .. }
            | ServerMsg::Error { .. }
            | ServerMsg::Ended { .. }
    )
}
