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
    # 내 서류 (kiosk.web.document_pages)
    "docs_title": ("내 서류", "My documents"),
    "docs_code_lead": (
        "문자로 따로 받은 확인 코드 6자리를 넣으면 센터에서 서명한 서류를 받을 수 있어요.",
        "Enter the 6-digit code from the other text message to get the documents you signed.",
    ),
    "docs_code_label": ("확인 코드 (숫자 6자리)", "Code (6 digits)"),
    "docs_open": ("서류 보기", "Show my documents"),
    "docs_wrong": (
        "확인 코드가 맞지 않아요. {left}번 더 넣을 수 있어요.",
        "That code is not right. You can try {left} more time(s).",
    ),
    "docs_code_shape": ("확인 코드는 숫자 6자리예요.", "The code is 6 digits."),
    "docs_ask_again": (
        "서류를 받으려면 확인 코드를 다시 넣어 주세요.",
        "Please enter the code again to get the documents.",
    ),
    "docs_valid_until": ("이 링크는 {until}까지 쓸 수 있어요.", "This link works until {until}."),
    "docs_list_lead": (
        "서명한 서류예요. 누르면 PDF 파일로 내려받아요.",
        "These are the documents you signed. Tap one to download it as a PDF.",
    ),
    "docs_signed_on": ("{date} 서명", "signed {date}"),
    "docs_none": ("받을 수 있는 서류가 없어요.", "There is no document to download."),
    "docs_keep": (
        "내려받은 서류에는 개인정보가 있어요. 다른 사람이 보지 않게 보관해 주세요. "
        "이 화면은 15분 동안 열려 있어요.",
        "The documents hold personal data: keep them where others cannot see them. "
        "This page stays open for 15 minutes.",
    ),
    "docs_locked_title": ("이 링크는 잠겼어요", "This link is locked"),
    "docs_locked": (
        "확인 코드를 5번 틀려서 이 링크를 더 쓸 수 없어요. 센터에 새 링크를 보내 달라고 해 주세요.",
        "The code was wrong 5 times, so this link no longer works. Ask the center to send a new one.",
    ),
    # The consent page from a phone counseling's LMS (kiosk.web.consent_pages)
    "consent_title": ("전화 상담 개인정보 동의", "Consent for your phone counseling"),
    "consent_lead": (
        "항목마다 전문을 읽고 '동의해요' 또는 '동의하지 않아요'를 골라 주세요. "
        "필수 항목에 동의하지 않으면 상담 기록을 이어갈 수 없어요. "
        "선택 항목은 동의하지 않아도 상담을 받을 수 있어요.",
        "Read each item in full and choose 'I agree' or 'I do not agree'. "
        "Without the required items the counseling cannot be recorded; "
        "you may refuse the optional ones and still be counseled.",
    ),
    "consent_required": ("필수", "Required"),
    "consent_optional": ("선택", "Optional"),
    "consent_basis": ("법적 근거", "Legal basis"),
    "consent_yes": ("동의해요", "I agree"),
    "consent_no": ("동의하지 않아요", "I do not agree"),
    "consent_code_label": ("문자로 받은 인증번호 6자리", "The 6-digit code from the text message"),
    "consent_code_hint": (
        "인증번호는 보낸 때부터 3분 동안 쓸 수 있어요.",
        "The code can be used for 3 minutes after it was sent.",
    ),
    "consent_submit": ("고른 대로 동의하고 확인하기", "Confirm my choices"),
    "consent_choose_all": (
        "모든 항목에 '동의해요' 또는 '동의하지 않아요'를 골라 주세요.",
        "Please choose 'I agree' or 'I do not agree' for every item.",
    ),
    "consent_wrong": (
        "인증번호가 맞지 않아요. {left}번 더 넣을 수 있어요.",
        "The code is not right. You can try {left} more times.",
    ),
    "consent_done": (
        "동의가 확인됐어요 — 상담사에게 알려 드렸어요",
        "Your consent is confirmed — we have told the counselor",
    ),
    "consent_chosen": ("고른 내용", "Your choices"),
    "consent_required_refused": (
        "필수 항목에 동의하지 않으셔서 상담 기록을 이어갈 수 없어요. 상담사가 전화로 설명해 드릴 거예요.",
        "You did not agree to a required item, so the counseling cannot be recorded. "
        "The counselor will explain on the phone.",
    ),
    "consent_expired": (
        "인증번호의 3분이 지났어요, 상담사에게 새 번호를 받아 주세요",
        "The code's 3 minutes are over; please ask the counselor for a new one",
    ),
    "consent_locked": (
        "인증번호를 5번 틀려서 더 쓸 수 없어요. 상담사에게 새 번호를 받아 주세요.",
        "The code was wrong 5 times and cannot be used any more; please ask the counselor for a new one.",
    ),
    "consent_stale": (
        "동의 문구가 그 사이에 바뀌었어요. 상담사에게 새 번호를 받아 주세요.",
        "The consent texts have changed since; please ask the counselor for a new code.",
    ),
    "consent_too_long": (
        "보낸 내용이 너무 길어요. 화면을 새로 열어 다시 골라 주세요.",
        "What was sent is too long; please reload the page and choose again.",
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
