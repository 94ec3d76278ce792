//! The UI's words in English and Korean. The choice is remembered.

use gloo::storage::{LocalStorage, Storage};
use yew::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    En,
    Ko,
}

const KEY: &str = "dinghy/v1/lang";

/// Every UI string: (key, English, Korean).
const STRINGS: &[(&str, &str, &str)] = &[
    (
        "tagline",
        "a Kubernetes v1.33 cluster in your browser tab",
        "브라우저 탭 안의 쿠버네티스 v1.33 클러스터",
    ),
    ("other-language", "한국어", "English"),
    ("switch-language", "Switch to Korean", "영어로 전환"),
    ("hide-cluster", "Hide cluster", "클러스터 숨기기"),
    ("show-cluster", "Show cluster", "클러스터 보기"),
    ("cluster", "Cluster", "클러스터"),
    (
        "pending-queue",
        "Waiting for the scheduler",
        "스케줄러 대기 중",
    ),
    ("no-pods", "no pods", "파드 없음"),
    ("all-namespaces", "all namespaces", "모든 네임스페이스"),
    ("namespace", "Namespace", "네임스페이스"),
    ("events", "Events", "이벤트"),
    ("filter-events", "Filter events", "이벤트 필터"),
    ("no-events", "No events yet.", "아직 이벤트가 없습니다."),
    ("clock", "Simulated time", "시뮬레이션 시간"),
    ("play", "Run the clock", "시계 실행"),
    ("pause", "Pause the clock", "시계 정지"),
    ("speed", "Clock speed", "시계 속도"),
    ("plus-1m", "+1 min", "+1분"),
    ("plus-5m", "+5 min", "+5분"),
    ("fast-forward", "Fast-forward", "빨리 감기"),
    ("cpu", "CPU", "CPU"),
    ("memory", "Memory", "메모리"),
    ("requested", "requested", "요청"),
];

impl Lang {
    pub fn text(self, key: &str) -> &'static str {
        STRINGS
            .iter()
            .find(|(k, _, _)| *k == key)
            .map(|(_, en, ko)| if self == Lang::Ko { *ko } else { *en })
            .unwrap_or("")
    }
}

/// The language, shared through a context.
#[derive(Clone, PartialEq)]
pub struct LangContext {
    lang: UseStateHandle<Lang>,
}

impl LangContext {
    pub fn get(&self) -> Lang {
        *self.lang
    }
    pub fn set(&self, l: Lang) {
        let _ = LocalStorage::raw().set_item(KEY, if l == Lang::Ko { "ko" } else { "en" });
        self.lang.set(l);
    }
}

/// The root's language state: the remembered choice, else the browser's.
#[hook]
pub fn use_lang() -> LangContext {
    let lang = use_state(|| {
        let saved = LocalStorage::raw().get_item(KEY).ok().flatten();
        let browser = web_sys::window()
            .and_then(|w| w.navigator().language())
            .unwrap_or_default();
        match saved.as_deref() {
            Some("ko") => Lang::Ko,
            Some("en") => Lang::En,
            _ if browser.starts_with("ko") => Lang::Ko,
            _ => Lang::En,
        }
    });
    LangContext { lang }
}

#[hook]
pub fn use_t() -> Lang {
    use_context::<LangContext>()
        .map(|c| c.get())
        .unwrap_or(Lang::En)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_string_has_both_languages() {
        for (k, en, ko) in STRINGS {
            assert!(!en.is_empty() && !ko.is_empty(), "{k}");
        }
        assert_eq!(Lang::Ko.text("events"), "이벤트");
    }
}
