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
    ("labs", "Labs", "실습"),
    (
        "progress-corrupt",
        "Your saved lab progress could not be read, so it was reset.",
        "저장된 실습 진행 상황을 읽을 수 없어 초기화했습니다.",
    ),
    ("dismiss", "Dismiss", "닫기"),
    ("back-to-lab", "Back to the lab ›", "실습으로 ›"),
    (
        "catalog-intro",
        "Pick a lab: Dinghy sets up its cluster, you solve the tasks in the terminal, then press Check.",
        "실습을 고르세요. Dinghy가 클러스터를 준비하면 터미널에서 과제를 풀고 확인을 누르세요.",
    ),
    ("start-lab", "Start lab", "실습 시작"),
    ("easy", "easy", "쉬움"),
    ("medium", "medium", "보통"),
    ("hard", "hard", "어려움"),
    ("minutes", "min", "분"),
    ("load-lab", "Open an instructor's lab file (URL)", "강사의 실습 파일 열기 (URL)"),
    ("load", "Open", "열기"),
    (
        "drop-lab",
        "…or drop a lab .yaml file onto this panel.",
        "…또는 실습 .yaml 파일을 이 패널에 끌어다 놓으세요.",
    ),
    ("all-labs", "All labs", "전체 실습"),
    ("leave-lab", "Leave lab", "실습 나가기"),
    ("lab-complete", "Lab complete", "실습 완료"),
    ("tasks-done", "tasks done", "과제 완료"),
    ("check-all", "Check all", "모두 확인"),
    (
        "reset-confirm",
        "Set the lab's cluster up again and forget your progress?",
        "클러스터를 다시 준비하고 진행 상황을 지울까요?",
    ),
    ("reset", "Reset", "초기화"),
    ("cancel", "Cancel", "취소"),
    ("reset-lab", "Reset lab", "실습 초기화"),
    ("passed", "passed", "통과"),
    ("failed", "not yet", "아직 아님"),
    ("todo", "to do", "할 일"),
    ("your-answer", "Your answer", "답"),
    ("check", "Check", "확인"),
    ("show-hint", "Hint", "힌트"),
    ("show-solution", "Solution…", "정답 보기…"),
    ("task-passed", "Done — well solved.", "통과했습니다."),
    ("hint", "Hint", "힌트"),
    (
        "solution-confirm",
        "Show the commands that solve this task?",
        "이 과제를 푸는 명령을 보여줄까요?",
    ),
    ("show-it", "Show", "보기"),
    ("solution", "Solution", "정답"),
    ("describe", "Describe", "Describe"),
    ("yaml", "YAML", "YAML"),
    ("close", "Close", "닫기"),
    ("details", "Details", "상세 정보"),
    ("hide-labs", "Hide labs", "실습 숨기기"),
    ("show-labs", "Show labs", "실습 보기"),
    ("resize", "Drag to resize", "끌어서 크기 조절"),
    ("no-object-events", "No events for this object.", "이 오브젝트의 이벤트가 없습니다."),
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
    // The page's `lang` follows the choice: screen readers pick their voice
    // from it, and the stylesheet keeps Korean words whole (`:lang(ko)`),
    // where the browser would otherwise break a word between syllables.
    use_effect_with(*lang, |l| {
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = root.set_attribute("lang", if *l == Lang::Ko { "ko" } else { "en" });
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
