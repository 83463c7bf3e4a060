"""Every word the mobile web shows, Korean and English side by side (one language per page)."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {
    "center": ("서민금융통합지원센터", "Inclusive Finance Support Center"),
    "home_title": ("서민금융통합지원센터 모바일", "Inclusive Finance Center on your phone"),
    "home_lead": (
        "번호표의 QR을 찍으면 내 순서를 볼 수 있어요. 궁금한 점은 챗봇에게 언제든 물어보세요.",
        "Scan the QR on your ticket to see your turn. Ask the chatbot anything, any time.",
    ),
    "chat_link": ("챗봇에게 물어보기 (24시간)", "Ask the chatbot (24 hours)"),
    "call": ("서민금융콜센터 1397 (평일 9시~18시)", "Call center 1397 (weekdays 9:00–18:00)"),
    "turn_title": ("내 순서", "My turn"),
    "ticket": ("번호표", "Ticket"),
    "live_on": (
        "순서가 바뀌면 이 화면이 저절로 바뀌어요.",
        "This page updates by itself when the queue moves.",
    ),
    "live_off": (
        "자동으로 바뀌지 않으면 새로 고침을 눌러 주세요.",
        "If the page does not update, reload it.",
    ),
    "reload": ("새로 고침", "Reload"),
    "cancel": ("번호표 취소", "Give the ticket back"),
    "cancel_title": ("번호표를 취소할까요?", "Give your ticket back?"),
    "cancel_lead": (
        "{ticket}번 번호표를 취소하면 뒤에 기다리는 분의 차례가 당겨져요. "
        "다시 오시면 새 번호표를 받아 주세요.",
        "If you give ticket {ticket} back, the people behind you move up. "
        "If you come back, take a new ticket.",
    ),
    "cancel_yes": ("네, 취소할게요", "Yes, give it back"),
    "cancel_no": ("아니요, 계속 기다릴게요", "No, I will keep waiting"),
    "link_gone_title": ("이 링크는 쓸 수 없어요", "This link cannot be used"),
    "link_gone": (
        "기한이 지났거나 잘못된 주소예요. 번호표는 그날만 쓸 수 있어요. 센터에서 새 번호표를 받아 주세요.",
        "It has expired or the address is wrong. A ticket is valid on its day only; "
        "take a new one at the center.",
    ),
    "aftercare_title": ("사후관리 안내", "After-care"),
    "aftercare_lead": (
        "{due}에 {topic} 확인이 예정되어 있어요. 아래에서 골라 주세요.",
        "A follow-up check is planned for {due}. Please choose below.",
    ),
    "aftercare_confirm": ("확인했어요", "Noted, thank you"),
    "aftercare_call": ("상담사가 전화해 주세요", "Please have a counselor call me"),
    "aftercare_thanks_confirmed": ("고맙습니다. 확인했다고 전해 드렸어요.", "Thank you. We noted it."),
    "aftercare_thanks_call": (
        "고맙습니다. 상담사가 전화드릴게요.",
        "Thank you. A counselor will call you.",
    ),
    "chat_title": ("챗봇 상담 (24시간)", "Chatbot (24 hours)"),
    "chat_lead": (
        "서민금융 제도에 대해 짧게 물어보세요. 개인정보(주민등록번호, 전화번호)는 적지 마세요.",
        "Ask briefly about the programs. Do not type personal data (ID numbers, phone numbers).",
    ),
    "chat_label": ("궁금한 점", "Your question"),
    "chat_send": ("물어보기", "Ask"),
    "chat_source": ("출처", "Source"),
    "chat_effective": ("기준일", "As of"),
    "chat_handoff": (
        "상담 접수는 센터에서 해요. 전화 상담: 1397 (평일 9시~18시). 가까운 센터는 1397에 물어보세요.",
        "Applications are made at a center. By phone: 1397 (weekdays 9:00–18:00); "
        "1397 also finds your nearest center.",
    ),
    "chat_suggest": ("이런 질문을 많이 해요", "People often ask"),
    "chat_unavailable": (
        "지금은 챗봇을 쓸 수 없어요. 서민금융콜센터 1397로 전화해 주세요.",
        "The chatbot is unavailable right now; please call 1397.",
    ),
    "language": ("English", "한국어"),
    "contrast": ("고대비 화면", "High contrast"),
    "contrast_off": ("기본 화면", "Standard colours"),
    "home": ("처음으로", "Home"),
}

SUGGESTIONS: tuple[tuple[str, str], ...] = (
    ("채무조정을 받으려면 무엇을 가져가야 하나요?", "What do I bring for debt adjustment?"),
    ("햇살론 신청 자격이 어떻게 되나요?", "Who can apply for Sunshine Loan?"),
    ("센터는 몇 시까지 하나요?", "What are the center's hours?"),
)


def words(english: bool) -> dict[str, str]:
    return {key: pair[1 if english else 0] for key, pair in WORDS.items()}
