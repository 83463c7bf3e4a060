<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en" sourcelanguage="ko">
<context>
    <name>AmountKeypad</name>
    <message>
        <location filename="../widgets/keypad.py" line="115" />
        <source>금액을 눌러 주세요</source>
        <translation>Tap the amount</translation>
    </message>
    <message>
        <location filename="../widgets/keypad.py" line="117" />
        <source>숫자를 눌러 주세요</source>
        <translation>Tap the number</translation>
    </message>
    <message>
        <location filename="../widgets/keypad.py" line="122" />
        <source>만원 단위</source>
        <translation>In 10,000 won</translation>
    </message>
    <message>
        <location filename="../widgets/keypad.py" line="123" />
        <source>천원 단위</source>
        <translation>In 1,000 won</translation>
    </message>
    <message>
        <location filename="../widgets/keypad.py" line="124" />
        <source>모두 지우기</source>
        <translation>Clear all</translation>
    </message>
    <message>
        <location filename="../widgets/keypad.py" line="125" />
        <source>한 칸 지우기</source>
        <translation>Delete one digit</translation>
    </message>
    <message>
        <source>ko</source>
        <translation>en</translation>
    </message>
</context>
<context>
    <name>ChatScreen</name>
    <message>
        <location filename="../lobby/screens/chat.py" line="38" />
        <source>궁금한 것을 물어보세요</source>
        <translation>Ask us anything</translation>
    </message>
    <message>
        <location filename="../lobby/screens/chat.py" line="41" />
        <source>번호표 받기</source>
        <translation>Get a queue ticket</translation>
    </message>
</context>
<context>
    <name>ConsentScreen</name>
    <message>
        <location filename="../lobby/screens/consent.py" line="218" />
        <source>서명 패드에 문제가 있어요.</source>
        <translation>The signature pad has a problem.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/consent.py" line="220" />
        <source>화면에 손가락으로 서명해 주세요.</source>
        <translation>Please sign on the screen with your finger.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/consent.py" line="227" />
        <source>다시 서명해 주세요.</source>
        <translation>Please sign again.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/consent.py" line="276" />
        <source>서명해 주세요</source>
        <translation>Please sign</translation>
    </message>
    <message>
        <location filename="../lobby/screens/consent.py" line="277" />
        <source>개인정보 동의를 받을게요</source>
        <translation>Your consent for personal information</translation>
    </message>
    <message>
        <location filename="../lobby/screens/consent.py" line="281" />
        <source>동의할 내용이 항목마다 따로 있어요. 항목을 읽어 보시고, 동의해요 또는 동의하지 않아요를 눌러 주세요. 읽어 주기를 누르면 소리로 들을 수 있어요.</source>
        <translation>Each item needs its own consent. Read each one and tap I agree or I do not agree. Tap Read aloud to hear it.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/consent.py" line="286" />
        <source>서명 완료</source>
        <translation>Done signing</translation>
    </message>
    <message>
        <location filename="../lobby/screens/consent.py" line="286" />
        <source>서명하러 가기</source>
        <translation>Go to signature</translation>
    </message>
    <message>
        <location filename="../lobby/screens/consent.py" line="333" />
        <source>항목마다 따로 동의를 받아요. [필수] 항목에 동의해야 상담을 받을 수 있어요.</source>
        <translation>We ask for each item separately. Counseling needs the [Required] items.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/consent.py" line="337" />
        <source>[필수]</source>
        <translation>[Required]</translation>
    </message>
    <message>
        <location filename="../lobby/screens/consent.py" line="337" />
        <source>[선택]</source>
        <translation>[Optional]</translation>
    </message>
    <message>
        <location filename="../lobby/screens/consent.py" line="343" />
        <location filename="../lobby/screens/consent.py" line="346" />
        <source>동의해요</source>
        <translation>I agree</translation>
    </message>
    <message>
        <location filename="../lobby/screens/consent.py" line="344" />
        <location filename="../lobby/screens/consent.py" line="347" />
        <source>동의하지 않아요</source>
        <translation>I do not agree</translation>
    </message>
    <message>
        <location filename="../lobby/screens/consent.py" line="345" />
        <source>읽어 주기</source>
        <translation>Read aloud</translation>
    </message>
    <message>
        <location filename="../lobby/screens/consent.py" line="350" />
        <source>위에서 동의한 내용(개인정보 동의서)에 서명해 주세요. 서명 패드나 화면 아래 칸에 하시면 돼요.</source>
        <translation>Please sign the consent form you just agreed to, on the signature pad or in the box below.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/consent.py" line="353" />
        <source>다시 쓰기</source>
        <translation>Sign again</translation>
    </message>
    <message>
        <location filename="../lobby/screens/consent.py" line="354" />
        <source>서명 패드에 쓰기</source>
        <translation>Sign on the pad</translation>
    </message>
    <message>
        <location filename="../lobby/screens/consent.py" line="355" />
        <source>화면에 손가락으로 쓰기</source>
        <translation>Sign on the screen</translation>
    </message>
    <message>
        <location filename="../lobby/screens/consent.py" line="356" />
        <source>개인정보 동의서 (%1)에 서명해요</source>
        <translation>You are signing the consent form (%1)</translation>
    </message>
</context>
<context>
    <name>GoodbyeScreen</name>
    <message>
        <location filename="../lobby/screens/goodbye.py" line="40" />
        <source>고맙습니다</source>
        <translation>Thank you</translation>
    </message>
    <message>
        <location filename="../lobby/screens/goodbye.py" line="46" />
        <source>처음 화면으로</source>
        <translation>Back to the start</translation>
    </message>
    <message>
        <location filename="../lobby/screens/goodbye.py" line="64" />
        <source>접수가 끝났어요.
번호가 화면에 나오면 창구로 가 주세요.
입력하신 정보는 곧 이 기기에서 지워져요.</source>
        <translation>You are all set.
When your number appears on the display, please go to the counter.
What you entered will be erased from this kiosk in a moment.</translation>
    </message>
    <message>
        <source>내 번호표</source>
        <translation>Your ticket number</translation>
    </message>
</context>
<context>
    <name>IdentifyScreen</name>
    <message>
        <location filename="../lobby/screens/identify.py" line="134" />
        <source>신분증을 스캐너 위에 올려 주세요.</source>
        <translation>Place your ID card on the scanner.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/identify.py" line="135" />
        <source>여권을 리더기 위에 올려 주세요.</source>
        <translation>Place your passport on the reader.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/identify.py" line="136" />
        <source>모바일 신분증 QR을 카메라에 보여 주세요.</source>
        <translation>Show your mobile ID QR code to the camera.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/identify.py" line="141" />
        <source>신분증 리더를 쓸 수 없어요.</source>
        <translation>The ID reader is not available.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/identify.py" line="160" />
        <source>읽고 있어요. 카드를 움직이지 말아 주세요.</source>
        <translation>Reading. Please keep the card still.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/identify.py" line="174" />
        <source>읽은 내용이 맞는지 확인해 주세요.</source>
        <translation>Please check that this is correct.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/identify.py" line="181" />
        <source>다시 해 보시거나 '직접 입력하기'를 눌러 주세요.</source>
        <translation>Try again, or tap 'Type it in'.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/identify.py" line="209" />
        <source>이 정보가 맞나요?</source>
        <translation>Is this you?</translation>
    </message>
    <message>
        <location filename="../lobby/screens/identify.py" line="210" />
        <source>이름과 생년월일을 입력해 주세요</source>
        <translation>Enter your name and date of birth</translation>
    </message>
    <message>
        <location filename="../lobby/screens/identify.py" line="211" />
        <source>본인 확인을 해 주세요</source>
        <translation>Let us confirm who you are</translation>
    </message>
    <message>
        <location filename="../lobby/screens/identify.py" line="214" />
        <source>본인 확인을 해 주세요. 신분증을 스캐너에 올리거나, 직접 입력할 수 있어요.</source>
        <translation>Let us confirm who you are. Place your ID card on the scanner, or type it in.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/identify.py" line="218" />
        <source>네, 맞아요</source>
        <translation>Yes, that is me</translation>
    </message>
    <message>
        <location filename="../lobby/screens/identify.py" line="220" />
        <source>입력 완료</source>
        <translation>Done</translation>
    </message>
    <message>
        <location filename="../lobby/screens/identify.py" line="280" />
        <source>편한 방법을 하나 골라 주세요.</source>
        <translation>Choose the way that suits you.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/identify.py" line="281" />
        <source>신분증 올려놓기
(주민등록증 · 운전면허증)</source>
        <translation>Scan my ID card
(resident card · driver licence)</translation>
    </message>
    <message>
        <location filename="../lobby/screens/identify.py" line="282" />
        <source>여권 IC칩 읽히기</source>
        <translation>Read my passport chip</translation>
    </message>
    <message>
        <location filename="../lobby/screens/identify.py" line="283" />
        <source>모바일 신분증 QR 보여 주기</source>
        <translation>Show my mobile ID QR</translation>
    </message>
    <message>
        <location filename="../lobby/screens/identify.py" line="284" />
        <source>직접 입력하기</source>
        <translation>Type it in</translation>
    </message>
    <message>
        <location filename="../lobby/screens/identify.py" line="294" />
        <location filename="../lobby/screens/identify.py" line="300" />
        <location filename="../lobby/screens/identify.py" line="303" />
        <source>이름</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../lobby/screens/identify.py" line="295" />
        <location filename="../lobby/screens/identify.py" line="304" />
        <source>생년월일</source>
        <translation>Date of birth</translation>
    </message>
    <message>
        <location filename="../lobby/screens/identify.py" line="296" />
        <source>주민등록번호</source>
        <translation>Resident registration no.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/identify.py" line="297" />
        <source>개인정보 보호를 위해 일부만 보여 드려요.</source>
        <translation>Only part is shown, to protect your privacy.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/identify.py" line="298" />
        <source>다시 읽기</source>
        <translation>Read again</translation>
    </message>
    <message>
        <location filename="../lobby/screens/identify.py" line="299" />
        <source>직접 입력한 정보는 상담 창구에서 신분증으로 한 번 더 확인해요.</source>
        <translation>Typed details are checked once more against your ID at the counter.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/identify.py" line="301" />
        <source>생년월일 (예: 1960-03-15)</source>
        <translation>Date of birth (e.g. 1960-03-15)</translation>
    </message>
    <message>
        <location filename="../lobby/screens/identify.py" line="302" />
        <source>휴대전화 (선택)</source>
        <translation>Mobile phone (optional)</translation>
    </message>
    <message>
        <location filename="../lobby/screens/identify.py" line="305" />
        <source>휴대전화</source>
        <translation>Mobile phone</translation>
    </message>
    <message>
        <location filename="../lobby/screens/identify.py" line="178" />
        <source>여권 리더를 지금 쓸 수 없어요.</source>
        <translation>The passport reader cannot be used right now.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/identify.py" line="282" />
        <source>여권 정보를 입력해 주세요</source>
        <translation>Enter your passport details</translation>
    </message>
    <message>
        <location filename="../lobby/screens/identify.py" line="294" />
        <source>여권 읽기</source>
        <translation>Read passport</translation>
    </message>
    <message>
        <location filename="../lobby/screens/identify.py" line="397" />
        <source>여권 사진 면 아래 두 줄에 있는 정보를 입력해 주세요. 칩을 여는 데만 써요.</source>
        <translation>Enter the details from the two lines at the bottom of the photo page. They are only used to open the chip.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/identify.py" line="399" />
        <source>여권 번호 (예: M12345678)</source>
        <translation>Passport number (e.g. M12345678)</translation>
    </message>
    <message>
        <location filename="../lobby/screens/identify.py" line="400" />
        <source>생년월일 6자리 (예: 600315)</source>
        <translation>Date of birth, 6 digits (e.g. 600315)</translation>
    </message>
    <message>
        <location filename="../lobby/screens/identify.py" line="401" />
        <source>만료일 6자리 (예: 330101)</source>
        <translation>Expiry date, 6 digits (e.g. 330101)</translation>
    </message>
    <message>
        <location filename="../lobby/screens/identify.py" line="402" />
        <source>여권 번호</source>
        <translation>Passport number</translation>
    </message>
    <message>
        <location filename="../lobby/screens/identify.py" line="403" />
        <source>생년월일 6자리</source>
        <translation>Date of birth, 6 digits</translation>
    </message>
    <message>
        <location filename="../lobby/screens/identify.py" line="404" />
        <source>만료일 6자리</source>
        <translation>Expiry date, 6 digits</translation>
    </message>
</context>
<context>
    <name>IdleOverlay</name>
    <message>
        <location filename="../widgets/idle_overlay.py" line="57" />
        <source>%1초</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <location filename="../widgets/idle_overlay.py" line="62" />
        <source>아직 계신가요?</source>
        <translation>Are you still there?</translation>
    </message>
    <message>
        <location filename="../widgets/idle_overlay.py" line="64" />
        <source>시간이 지나면 처음 화면으로 돌아가고, 입력한 내용은 안전하게 지워져요.</source>
        <translation>When time runs out, the kiosk goes back to the start and safely erases what you entered.</translation>
    </message>
    <message>
        <location filename="../widgets/idle_overlay.py" line="66" />
        <source>시간 연장</source>
        <translation>More time</translation>
    </message>
</context>
<context>
    <name>LobbyWindow</name>
    <message>
        <location filename="../lobby/window.py" line="132" />
        <source>서민금융통합지원센터</source>
        <translation>Inclusive Finance Support Center</translation>
    </message>
    <message>
        <location filename="../lobby/window.py" line="134" />
        <source>이전</source>
        <translation>Back</translation>
    </message>
    <message>
        <location filename="../lobby/window.py" line="135" />
        <source>처음으로</source>
        <translation>Start over</translation>
    </message>
    <message>
        <location filename="../lobby/window.py" line="136" />
        <source>다시 듣기</source>
        <translation>Listen again</translation>
    </message>
    <message>
        <location filename="../lobby/window.py" line="137" />
        <source>직원 호출</source>
        <translation>Call staff</translation>
    </message>
    <message>
        <location filename="../lobby/window.py" line="139" />
        <source>본인 확인</source>
        <translation>ID</translation>
    </message>
    <message>
        <location filename="../lobby/window.py" line="139" />
        <source>동의</source>
        <translation>Consent</translation>
    </message>
    <message>
        <location filename="../lobby/window.py" line="139" />
        <source>질문</source>
        <translation>Questions</translation>
    </message>
    <message>
        <location filename="../lobby/window.py" line="139" />
        <source>결과</source>
        <translation>Results</translation>
    </message>
    <message>
        <location filename="../lobby/window.py" line="139" />
        <source>번호표</source>
        <translation>Ticket</translation>
    </message>
    <message>
        <location filename="../lobby/window.py" line="207" />
        <source>직원을 불렀어요. 잠시만 기다려 주세요.</source>
        <translation>We called a staff member. Please wait a moment.</translation>
    </message>
    <message>
        <location filename="../lobby/flow.py" line="107" />
        <source>잠시 문제가 생겼어요. 계속 진행하셔도 되고, 어려우면 '직원 호출'을 눌러 주세요.</source>
        <translation>Something went wrong for a moment. You can go on; if it is hard, tap 'Call staff'.</translation>
    </message>
</context>
<context>
    <name>NeedsScreen</name>
    <message>
        <location filename="../lobby/screens/needs.py" line="244" />
        <source>몇 가지만 여쭤볼게요</source>
        <translation>A few questions</translation>
    </message>
    <message>
        <location filename="../lobby/screens/needs.py" line="253" />
        <source>다음</source>
        <translation>Next</translation>
    </message>
    <message>
        <location filename="../lobby/screens/needs.py" line="296" />
        <source>질문지를 불러오지 못했어요. 창구에서 상담사가 여쭤볼게요. '직원 호출'을 눌러 주세요.</source>
        <translation>The questions could not be loaded. A counselor will ask you at the counter. Please tap 'Call staff'.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/needs.py" line="304" />
        <source>질문 %1</source>
        <translation>Question %1</translation>
    </message>
    <message>
        <location filename="../lobby/screens/needs.py" line="312" />
        <source>잘 모르겠어요</source>
        <translation>I don't know</translation>
    </message>
    <message>
        <source>질문 진행</source>
        <translation>Question progress</translation>
    </message>
</context>
<context>
    <name>ResultsScreen</name>
    <message>
        <location filename="../lobby/screens/results.py" line="116" />
        <source>결과를 불러오지 못했어요. 번호표를 받으시면 상담사가 창구에서 자세히 알려 드릴게요.</source>
        <translation>The results could not be loaded. Take a ticket and a counselor will explain at the counter.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/results.py" line="142" />
        <source>신청할 수 있어요</source>
        <translation>You can apply</translation>
    </message>
    <message>
        <location filename="../lobby/screens/results.py" line="143" />
        <source>서류 확인 후 가능할 수 있어요</source>
        <translation>Possible after checking documents</translation>
    </message>
    <message>
        <location filename="../lobby/screens/results.py" line="144" />
        <source>지금은 어려워요</source>
        <translation>Not possible right now</translation>
    </message>
    <message>
        <location filename="../lobby/screens/results.py" line="150" />
        <source>지금은 어려워요 — 대신 이런 방법이 있어요</source>
        <translation>Not possible right now — here are other ways</translation>
    </message>
    <message>
        <location filename="../lobby/screens/results.py" line="192" />
        <source>받을 수 있는 도움이에요</source>
        <translation>Help that fits you</translation>
    </message>
    <message>
        <location filename="../lobby/screens/results.py" line="200" />
        <source>신청할 수 있는 것이 %1개, 서류 확인 후 가능할 수 있는 것이 %2개 있어요. 번호표를 받으시면 상담사가 자세히 도와드려요.</source>
        <translation>You can apply for %1, and %2 may be possible after checking documents. Take a ticket and a counselor will help you in detail.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/results.py" line="208" />
        <source>번호표 받기</source>
        <translation>Get a queue ticket</translation>
    </message>
    <message>
        <location filename="../lobby/screens/results.py" line="225" />
        <source>알맞은 지원 제도를 찾고 있어요. 잠시만 기다려 주세요.</source>
        <translation>Finding the support that fits you. Please wait a moment.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/results.py" line="228" />
        <source>상담사가 창구에서 한 번 더 확인해 드려요. 최종 결정은 서류 확인 후에 나요.</source>
        <translation>A counselor will check again at the counter. The final decision comes after checking documents.</translation>
    </message>
</context>
<context>
    <name>StaffPinScreen</name>
    <message>
        <location filename="../lobby/screens/staff.py" line="56" />
        <source>비밀번호 %1자리</source>
        <translation>PIN, %1 digits</translation>
    </message>
    <message>
        <location filename="../lobby/screens/staff.py" line="59" />
        <source>직원 확인</source>
        <translation>Staff check</translation>
    </message>
    <message>
        <location filename="../lobby/screens/staff.py" line="62" />
        <source>확인</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../lobby/screens/staff.py" line="79" />
        <source>비밀번호가 맞지 않아요.</source>
        <translation>That PIN is not right.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/staff.py" line="90" />
        <source>직원용 화면이에요. 비밀번호를 눌러 주세요.</source>
        <translation>This screen is for staff. Enter the PIN.</translation>
    </message>
</context>
<context>
    <name>StaffScreen</name>
    <message>
        <location filename="../lobby/screens/staff.py" line="137" />
        <source>프린터가 설정되지 않았어요.</source>
        <translation>No printer is configured.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/staff.py" line="141" />
        <source>시험 인쇄를 보냈어요.</source>
        <translation>Test print sent.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/staff.py" line="143" />
        <source>시험 인쇄 실패: %1</source>
        <translation>Test print failed: %1</translation>
    </message>
    <message>
        <location filename="../lobby/screens/staff.py" line="155" />
        <source>설정을 다시 읽었어요.</source>
        <translation>Configuration reloaded.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/staff.py" line="160" />
        <source>설정 오류: %1</source>
        <translation>Configuration error: %1</translation>
    </message>
    <message>
        <location filename="../lobby/screens/staff.py" line="170" />
        <source>직원 모드</source>
        <translation>Staff mode</translation>
    </message>
    <message>
        <location filename="../lobby/screens/staff.py" line="173" />
        <source>키오스크로 돌아가기</source>
        <translation>Back to the kiosk</translation>
    </message>
    <message>
        <location filename="../lobby/screens/staff.py" line="187" />
        <source>기기 상태 새로 보기</source>
        <translation>Refresh device health</translation>
    </message>
    <message>
        <location filename="../lobby/screens/staff.py" line="188" />
        <source>시험 인쇄</source>
        <translation>Test print</translation>
    </message>
    <message>
        <location filename="../lobby/screens/staff.py" line="189" />
        <source>설정 다시 읽기</source>
        <translation>Reload configuration</translation>
    </message>
    <message>
        <location filename="../lobby/screens/staff.py" line="190" />
        <source>프로그램 끝내기</source>
        <translation>Quit the program</translation>
    </message>
    <message>
        <location filename="../lobby/screens/staff.py" line="191" />
        <source>기기 상태</source>
        <translation>Device health</translation>
    </message>
</context>
<context>
    <name>TicketScreen</name>
    <message>
        <location filename="../lobby/screens/ticket.py" line="145" />
        <source>번호표를 인쇄하고 있어요…</source>
        <translation>Printing your ticket…</translation>
    </message>
    <message>
        <location filename="../lobby/screens/ticket.py" line="196" />
        <source>번호표가 나왔어요. 아래에서 가져가세요.</source>
        <translation>Your ticket is printed. Please take it from below.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/ticket.py" line="211" />
        <source>번호표를 인쇄하지 못했어요. 휴대전화로 아래 QR을 찍거나 문자로 받으세요. 번호는 화면에서 기억하셔도 돼요.</source>
        <translation>The ticket could not be printed. Scan the QR code below with your phone or get it by text message. You can also just remember the number.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/ticket.py" line="230" />
        <source>번호표 QR 코드</source>
        <translation>Ticket QR code</translation>
    </message>
    <message>
        <location filename="../lobby/screens/ticket.py" line="244" />
        <source>문자를 보내 드렸어요.</source>
        <translation>We sent you a text message.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/ticket.py" line="246" />
        <source>문자를 보내지 못했어요. 번호를 기억하시거나 QR을 찍어 주세요.</source>
        <translation>The text message could not be sent. Please remember the number or scan the QR code.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/ticket.py" line="273" />
        <source>번호표</source>
        <translation>Ticket</translation>
    </message>
    <message>
        <location filename="../lobby/screens/ticket.py" line="273" />
        <source>어떤 상담이 필요하세요?</source>
        <translation>What do you need help with?</translation>
    </message>
    <message>
        <location filename="../lobby/screens/ticket.py" line="278" />
        <source>번호는 %1번이에요. %2</source>
        <translation>Your number is %1. %2</translation>
    </message>
    <message>
        <location filename="../lobby/screens/ticket.py" line="285" />
        <source>다 됐어요</source>
        <translation>Finish</translation>
    </message>
    <message>
        <location filename="../lobby/screens/ticket.py" line="316" />
        <source>금융 상담 (대출·자금)</source>
        <translation>Finance (loans, funds)</translation>
    </message>
    <message>
        <location filename="../lobby/screens/ticket.py" line="317" />
        <source>채무 조정 (빚 갚는 방법 조정)</source>
        <translation>Debt adjustment (repayment terms)</translation>
    </message>
    <message>
        <location filename="../lobby/screens/ticket.py" line="318" />
        <source>통합 상담 (잘 모르겠어요)</source>
        <translation>Integrated (I'm not sure)</translation>
    </message>
    <message>
        <location filename="../lobby/screens/ticket.py" line="324" />
        <source>번호표를 발급하지 못했어요. '직원 호출'을 눌러 주시면 바로 도와드릴게요.</source>
        <translation>We could not issue a ticket. Tap 'Call staff' and we will help you right away.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/ticket.py" line="327" />
        <source>번호표를 만들고 있어요…</source>
        <translation>Making your ticket…</translation>
    </message>
    <message>
        <location filename="../lobby/screens/ticket.py" line="329" />
        <source>상담 종류를 골라 주세요. 잘 모르시면 '통합 상담'을 누르세요.</source>
        <translation>Choose the kind of counseling. If you are not sure, tap 'Integrated'.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/ticket.py" line="330" />
        <source>번호가 번호판에 나오면 그 창구로 가 주세요. 이름은 부르지 않아요.</source>
        <translation>When your number shows on the display, go to that counter. Names are never called out.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/ticket.py" line="331" />
        <source>문자로 받기</source>
        <translation>Send by text message</translation>
    </message>
    <message>
        <location filename="../lobby/screens/ticket.py" line="332" />
        <source>다시 인쇄하기</source>
        <translation>Print again</translation>
    </message>
    <message>
        <location filename="../lobby/screens/ticket.py" line="340" />
        <source>앞에 %1명 · 약 %2분 기다려요</source>
        <translation>People ahead of you: %1 · about %2 min wait</translation>
    </message>
    <message>
        <source>프린터가 다시 준비됐어요. '다시 인쇄하기'를 눌러 주세요.</source>
        <translation>The printer is ready again. Tap 'Print again'.</translation>
    </message>
    <message>
        <source>번호표를 인쇄하지 못했어요. 휴대전화로 아래 QR을 찍거나, 화면의 번호를 기억해 주세요.</source>
        <translation>We couldn't print your ticket. Scan the QR code below with your phone, or remember the number on the screen.</translation>
    </message>
    <message>
        <source>'문자로 받기'를 누르면 문자로도 보내 드려요.</source>
        <translation>Tap 'Send by text message' to get it by text too.</translation>
    </message>
    <message>
        <source>바로 차례예요. 번호가 나오면 창구로 가 주세요.</source>
        <translation>You're next. Go to the counter when your number is shown.</translation>
    </message>
    <message>
        <source>앞에 %1명 있어요</source>
        <translation>People ahead of you: %1</translation>
    </message>
    <message>
        <source>센터 서버와 잠시 연결이 안 돼요. 이 번호표는 그대로 쓰시면 되고, 접수 내용은 연결되면 자동으로 보내져요.</source>
        <translation>The kiosk can't reach the center's server for a moment. Your ticket is valid as it is; your registration is sent automatically once the connection is back.</translation>
    </message>
</context>
<context>
    <name>WelcomeScreen</name>
    <message>
        <location filename="../lobby/screens/welcome.py" line="103" />
        <source>어서 오세요. 무엇을 도와드릴까요?</source>
        <translation>Welcome. How can we help?</translation>
    </message>
    <message>
        <location filename="../lobby/screens/welcome.py" line="107" />
        <source>어서 오세요. 상담을 받으시려면 가장 큰 버튼, 상담 접수 시작을 눌러 주세요. 번호표만 받으실 수도 있어요.</source>
        <translation>Welcome. To get counseling, tap the biggest button, Start. You can also just take a queue ticket.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/welcome.py" line="112" />
        <source>상담 접수 시작</source>
        <translation>Start</translation>
    </message>
    <message>
        <location filename="../lobby/screens/welcome.py" line="137" />
        <source>신분증만 있으면 돼요.
천천히 하셔도 괜찮아요.</source>
        <translation>All you need is your ID card.
Take your time.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/welcome.py" line="138" />
        <source>상담 접수는 이렇게 진행돼요 (약 5분)</source>
        <translation>How it works (about 5 minutes)</translation>
    </message>
    <message>
        <location filename="../lobby/screens/welcome.py" line="142" />
        <source>① 신분증으로 본인 확인</source>
        <translation>① Confirm who you are with your ID</translation>
    </message>
    <message>
        <location filename="../lobby/screens/welcome.py" line="143" />
        <source>② 개인정보 동의와 서명</source>
        <translation>② Consent and signature</translation>
    </message>
    <message>
        <location filename="../lobby/screens/welcome.py" line="144" />
        <source>③ 몇 가지 질문 (소득, 빚 등)</source>
        <translation>③ A few questions (income, debts)</translation>
    </message>
    <message>
        <location filename="../lobby/screens/welcome.py" line="145" />
        <source>④ 받을 수 있는 도움 확인</source>
        <translation>④ See the help that fits you</translation>
    </message>
    <message>
        <location filename="../lobby/screens/welcome.py" line="146" />
        <source>⑤ 번호표 받고 창구에서 상담</source>
        <translation>⑤ Take a ticket, talk at the counter</translation>
    </message>
    <message>
        <location filename="../lobby/screens/welcome.py" line="151" />
        <source>모르는 것은 언제든 아래 '직원 호출'을 눌러 주세요.</source>
        <translation>If anything is unclear, tap 'Call staff' below at any time.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/welcome.py" line="152" />
        <source>번호표만 받기</source>
        <translation>Just a queue ticket</translation>
    </message>
    <message>
        <location filename="../lobby/screens/welcome.py" line="153" />
        <source>궁금한 것 물어보기 (챗봇)</source>
        <translation>Ask a question (chatbot)</translation>
    </message>
    <message>
        <location filename="../lobby/screens/welcome.py" line="154" />
        <source>화면과 소리 설정</source>
        <translation>Screen and sound</translation>
    </message>
    <message>
        <location filename="../lobby/screens/welcome.py" line="155" />
        <source>글자 보통</source>
        <translation>Normal text</translation>
    </message>
    <message>
        <location filename="../lobby/screens/welcome.py" line="156" />
        <source>글자 크게</source>
        <translation>Large text</translation>
    </message>
    <message>
        <location filename="../lobby/screens/welcome.py" line="157" />
        <source>글자 아주 크게</source>
        <translation>Extra large text</translation>
    </message>
    <message>
        <location filename="../lobby/screens/welcome.py" line="158" />
        <source>고대비 화면</source>
        <translation>High contrast</translation>
    </message>
    <message>
        <location filename="../lobby/screens/welcome.py" line="159" />
        <source>음성 안내</source>
        <translation>Voice guide</translation>
    </message>
    <message>
        <location filename="../lobby/screens/welcome.py" line="160" />
        <source>천천히 말하기</source>
        <translation>Speak slowly</translation>
    </message>
    <message>
        <source>다른 일로 오셨나요?</source>
        <translation>Here for something else?</translation>
    </message>
    <message>
        <source>낮은 화면</source>
        <translation>Low screen</translation>
    </message>
    <message>
        <source>휠체어에서도 닿도록 모든 버튼을 화면 아래쪽에 모아요</source>
        <translation>Puts every button in the lower half of the screen, in reach from a wheelchair</translation>
    </message>
</context>
<context>
    <name>SignatureCanvas</name>
    <message>
        <source>지우고 다시 쓰기</source>
        <translation>Clear and sign again</translation>
    </message>
    <message>
        <source>선 위에 서명해 주세요.</source>
        <translation>Sign on the line.</translation>
    </message>
    <message>
        <source>다시 서명해 주세요. 이름을 평소처럼 써 주세요.</source>
        <translation>Please sign again. Write your name as you usually do.</translation>
    </message>
</context>
<context>
    <name>ProgressDots</name>
    <message>
        <source>끝났어요</source>
        <translation>done</translation>
    </message>
    <message>
        <source>지금 단계</source>
        <translation>current step</translation>
    </message>
    <message>
        <source>남았어요</source>
        <translation>still to do</translation>
    </message>
</context>
</TS>