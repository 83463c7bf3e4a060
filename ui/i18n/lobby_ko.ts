<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="ko" sourcelanguage="ko">
<context>
    <name>AmountKeypad</name>
    <message>
        <location filename="../widgets/keypad.py" line="115" />
        <source>금액을 눌러 주세요</source>
        <translation>금액을 눌러 주세요</translation>
    </message>
    <message>
        <location filename="../widgets/keypad.py" line="117" />
        <source>숫자를 눌러 주세요</source>
        <translation>숫자를 눌러 주세요</translation>
    </message>
    <message>
        <location filename="../widgets/keypad.py" line="122" />
        <source>만원 단위</source>
        <translation>만원 단위</translation>
    </message>
    <message>
        <location filename="../widgets/keypad.py" line="123" />
        <source>천원 단위</source>
        <translation>천원 단위</translation>
    </message>
    <message>
        <location filename="../widgets/keypad.py" line="124" />
        <source>모두 지우기</source>
        <translation>모두 지우기</translation>
    </message>
    <message>
        <location filename="../widgets/keypad.py" line="125" />
        <source>한 칸 지우기</source>
        <translation>한 칸 지우기</translation>
    </message>
    <message>
        <source>ko</source>
        <translation>ko</translation>
    </message>
</context>
<context>
    <name>ChatScreen</name>
    <message>
        <location filename="../lobby/screens/chat.py" line="38" />
        <source>궁금한 것을 물어보세요</source>
        <translation>궁금한 것을 물어보세요</translation>
    </message>
    <message>
        <location filename="../lobby/screens/chat.py" line="41" />
        <source>번호표 받기</source>
        <translation>번호표 받기</translation>
    </message>
</context>
<context>
    <name>ConsentScreen</name>
    <message>
        <location filename="../lobby/screens/consent.py" line="218" />
        <source>서명 패드에 문제가 있어요.</source>
        <translation>서명 패드에 문제가 있어요.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/consent.py" line="220" />
        <source>화면에 손가락으로 서명해 주세요.</source>
        <translation>화면에 손가락으로 서명해 주세요.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/consent.py" line="227" />
        <source>다시 서명해 주세요.</source>
        <translation>다시 서명해 주세요.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/consent.py" line="276" />
        <source>서명해 주세요</source>
        <translation>서명해 주세요</translation>
    </message>
    <message>
        <location filename="../lobby/screens/consent.py" line="277" />
        <source>개인정보 동의를 받을게요</source>
        <translation>개인정보 동의를 받을게요</translation>
    </message>
    <message>
        <location filename="../lobby/screens/consent.py" line="281" />
        <source>동의할 내용이 항목마다 따로 있어요. 항목을 읽어 보시고, 동의해요 또는 동의하지 않아요를 눌러 주세요. 읽어 주기를 누르면 소리로 들을 수 있어요.</source>
        <translation>동의할 내용이 항목마다 따로 있어요. 항목을 읽어 보시고, 동의해요 또는 동의하지 않아요를 눌러 주세요. 읽어 주기를 누르면 소리로 들을 수 있어요.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/consent.py" line="286" />
        <source>서명 완료</source>
        <translation>서명 완료</translation>
    </message>
    <message>
        <location filename="../lobby/screens/consent.py" line="286" />
        <source>서명하러 가기</source>
        <translation>서명하러 가기</translation>
    </message>
    <message>
        <location filename="../lobby/screens/consent.py" line="333" />
        <source>항목마다 따로 동의를 받아요. [필수] 항목에 동의해야 상담을 받을 수 있어요.</source>
        <translation>항목마다 따로 동의를 받아요. [필수] 항목에 동의해야 상담을 받을 수 있어요.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/consent.py" line="337" />
        <source>[필수]</source>
        <translation>[필수]</translation>
    </message>
    <message>
        <location filename="../lobby/screens/consent.py" line="337" />
        <source>[선택]</source>
        <translation>[선택]</translation>
    </message>
    <message>
        <location filename="../lobby/screens/consent.py" line="343" />
        <location filename="../lobby/screens/consent.py" line="346" />
        <source>동의해요</source>
        <translation>동의해요</translation>
    </message>
    <message>
        <location filename="../lobby/screens/consent.py" line="344" />
        <location filename="../lobby/screens/consent.py" line="347" />
        <source>동의하지 않아요</source>
        <translation>동의하지 않아요</translation>
    </message>
    <message>
        <location filename="../lobby/screens/consent.py" line="345" />
        <source>읽어 주기</source>
        <translation>읽어 주기</translation>
    </message>
    <message>
        <location filename="../lobby/screens/consent.py" line="350" />
        <source>위에서 동의한 내용(개인정보 동의서)에 서명해 주세요. 서명 패드나 화면 아래 칸에 하시면 돼요.</source>
        <translation>위에서 동의한 내용(개인정보 동의서)에 서명해 주세요. 서명 패드나 화면 아래 칸에 하시면 돼요.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/consent.py" line="353" />
        <source>다시 쓰기</source>
        <translation>다시 쓰기</translation>
    </message>
    <message>
        <location filename="../lobby/screens/consent.py" line="354" />
        <source>서명 패드에 쓰기</source>
        <translation>서명 패드에 쓰기</translation>
    </message>
    <message>
        <location filename="../lobby/screens/consent.py" line="355" />
        <source>화면에 손가락으로 쓰기</source>
        <translation>화면에 손가락으로 쓰기</translation>
    </message>
    <message>
        <location filename="../lobby/screens/consent.py" line="356" />
        <source>개인정보 동의서 (%1)에 서명해요</source>
        <translation>개인정보 동의서 (%1)에 서명해요</translation>
    </message>
</context>
<context>
    <name>GoodbyeScreen</name>
    <message>
        <location filename="../lobby/screens/goodbye.py" line="40" />
        <source>고맙습니다</source>
        <translation>고맙습니다</translation>
    </message>
    <message>
        <location filename="../lobby/screens/goodbye.py" line="46" />
        <source>처음 화면으로</source>
        <translation>처음 화면으로</translation>
    </message>
    <message>
        <location filename="../lobby/screens/goodbye.py" line="64" />
        <source>접수가 끝났어요.
번호가 화면에 나오면 창구로 가 주세요.
입력하신 정보는 곧 이 기기에서 지워져요.</source>
        <translation>접수가 끝났어요.
번호가 화면에 나오면 창구로 가 주세요.
입력하신 정보는 곧 이 기기에서 지워져요.</translation>
    </message>
    <message>
        <source>내 번호표</source>
        <translation>내 번호표</translation>
    </message>
</context>
<context>
    <name>IdentifyScreen</name>
    <message>
        <location filename="../lobby/screens/identify.py" line="134" />
        <source>신분증을 스캐너 위에 올려 주세요.</source>
        <translation>신분증을 스캐너 위에 올려 주세요.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/identify.py" line="135" />
        <source>여권을 리더기 위에 올려 주세요.</source>
        <translation>여권을 리더기 위에 올려 주세요.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/identify.py" line="136" />
        <source>모바일 신분증 QR을 카메라에 보여 주세요.</source>
        <translation>모바일 신분증 QR을 카메라에 보여 주세요.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/identify.py" line="141" />
        <source>신분증 리더를 쓸 수 없어요.</source>
        <translation>신분증 리더를 쓸 수 없어요.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/identify.py" line="160" />
        <source>읽고 있어요. 카드를 움직이지 말아 주세요.</source>
        <translation>읽고 있어요. 카드를 움직이지 말아 주세요.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/identify.py" line="174" />
        <source>읽은 내용이 맞는지 확인해 주세요.</source>
        <translation>읽은 내용이 맞는지 확인해 주세요.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/identify.py" line="181" />
        <source>다시 해 보시거나 '직접 입력하기'를 눌러 주세요.</source>
        <translation>다시 해 보시거나 '직접 입력하기'를 눌러 주세요.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/identify.py" line="209" />
        <source>이 정보가 맞나요?</source>
        <translation>이 정보가 맞나요?</translation>
    </message>
    <message>
        <location filename="../lobby/screens/identify.py" line="210" />
        <source>이름과 생년월일을 입력해 주세요</source>
        <translation>이름과 생년월일을 입력해 주세요</translation>
    </message>
    <message>
        <location filename="../lobby/screens/identify.py" line="211" />
        <source>본인 확인을 해 주세요</source>
        <translation>본인 확인을 해 주세요</translation>
    </message>
    <message>
        <location filename="../lobby/screens/identify.py" line="214" />
        <source>본인 확인을 해 주세요. 신분증을 스캐너에 올리거나, 직접 입력할 수 있어요.</source>
        <translation>본인 확인을 해 주세요. 신분증을 스캐너에 올리거나, 직접 입력할 수 있어요.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/identify.py" line="218" />
        <source>네, 맞아요</source>
        <translation>네, 맞아요</translation>
    </message>
    <message>
        <location filename="../lobby/screens/identify.py" line="220" />
        <source>입력 완료</source>
        <translation>입력 완료</translation>
    </message>
    <message>
        <location filename="../lobby/screens/identify.py" line="280" />
        <source>편한 방법을 하나 골라 주세요.</source>
        <translation>편한 방법을 하나 골라 주세요.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/identify.py" line="281" />
        <source>신분증 올려놓기
(주민등록증 · 운전면허증)</source>
        <translation>신분증 올려놓기
(주민등록증 · 운전면허증)</translation>
    </message>
    <message>
        <location filename="../lobby/screens/identify.py" line="282" />
        <source>여권 IC칩 읽히기</source>
        <translation>여권 IC칩 읽히기</translation>
    </message>
    <message>
        <location filename="../lobby/screens/identify.py" line="283" />
        <source>모바일 신분증 QR 보여 주기</source>
        <translation>모바일 신분증 QR 보여 주기</translation>
    </message>
    <message>
        <location filename="../lobby/screens/identify.py" line="284" />
        <source>직접 입력하기</source>
        <translation>직접 입력하기</translation>
    </message>
    <message>
        <location filename="../lobby/screens/identify.py" line="294" />
        <location filename="../lobby/screens/identify.py" line="300" />
        <location filename="../lobby/screens/identify.py" line="303" />
        <source>이름</source>
        <translation>이름</translation>
    </message>
    <message>
        <location filename="../lobby/screens/identify.py" line="295" />
        <location filename="../lobby/screens/identify.py" line="304" />
        <source>생년월일</source>
        <translation>생년월일</translation>
    </message>
    <message>
        <location filename="../lobby/screens/identify.py" line="296" />
        <source>주민등록번호</source>
        <translation>주민등록번호</translation>
    </message>
    <message>
        <location filename="../lobby/screens/identify.py" line="297" />
        <source>개인정보 보호를 위해 일부만 보여 드려요.</source>
        <translation>개인정보 보호를 위해 일부만 보여 드려요.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/identify.py" line="298" />
        <source>다시 읽기</source>
        <translation>다시 읽기</translation>
    </message>
    <message>
        <location filename="../lobby/screens/identify.py" line="299" />
        <source>직접 입력한 정보는 상담 창구에서 신분증으로 한 번 더 확인해요.</source>
        <translation>직접 입력한 정보는 상담 창구에서 신분증으로 한 번 더 확인해요.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/identify.py" line="301" />
        <source>생년월일 (예: 1960-03-15)</source>
        <translation>생년월일 (예: 1960-03-15)</translation>
    </message>
    <message>
        <location filename="../lobby/screens/identify.py" line="302" />
        <source>휴대전화 (선택)</source>
        <translation>휴대전화 (선택)</translation>
    </message>
    <message>
        <location filename="../lobby/screens/identify.py" line="305" />
        <source>휴대전화</source>
        <translation>휴대전화</translation>
    </message>
    <message>
        <location filename="../lobby/screens/identify.py" line="178" />
        <source>여권 리더를 지금 쓸 수 없어요.</source>
        <translation>여권 리더를 지금 쓸 수 없어요.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/identify.py" line="282" />
        <source>여권 정보를 입력해 주세요</source>
        <translation>여권 정보를 입력해 주세요</translation>
    </message>
    <message>
        <location filename="../lobby/screens/identify.py" line="294" />
        <source>여권 읽기</source>
        <translation>여권 읽기</translation>
    </message>
    <message>
        <location filename="../lobby/screens/identify.py" line="397" />
        <source>여권 사진 면 아래 두 줄에 있는 정보를 입력해 주세요. 칩을 여는 데만 써요.</source>
        <translation>여권 사진 면 아래 두 줄에 있는 정보를 입력해 주세요. 칩을 여는 데만 써요.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/identify.py" line="399" />
        <source>여권 번호 (예: M12345678)</source>
        <translation>여권 번호 (예: M12345678)</translation>
    </message>
    <message>
        <location filename="../lobby/screens/identify.py" line="400" />
        <source>생년월일 6자리 (예: 600315)</source>
        <translation>생년월일 6자리 (예: 600315)</translation>
    </message>
    <message>
        <location filename="../lobby/screens/identify.py" line="401" />
        <source>만료일 6자리 (예: 330101)</source>
        <translation>만료일 6자리 (예: 330101)</translation>
    </message>
    <message>
        <location filename="../lobby/screens/identify.py" line="402" />
        <source>여권 번호</source>
        <translation>여권 번호</translation>
    </message>
    <message>
        <location filename="../lobby/screens/identify.py" line="403" />
        <source>생년월일 6자리</source>
        <translation>생년월일 6자리</translation>
    </message>
    <message>
        <location filename="../lobby/screens/identify.py" line="404" />
        <source>만료일 6자리</source>
        <translation>만료일 6자리</translation>
    </message>
</context>
<context>
    <name>IdleOverlay</name>
    <message>
        <location filename="../widgets/idle_overlay.py" line="57" />
        <source>%1초</source>
        <translation>%1초</translation>
    </message>
    <message>
        <location filename="../widgets/idle_overlay.py" line="62" />
        <source>아직 계신가요?</source>
        <translation>아직 계신가요?</translation>
    </message>
    <message>
        <location filename="../widgets/idle_overlay.py" line="64" />
        <source>시간이 지나면 처음 화면으로 돌아가고, 입력한 내용은 안전하게 지워져요.</source>
        <translation>시간이 지나면 처음 화면으로 돌아가고, 입력한 내용은 안전하게 지워져요.</translation>
    </message>
    <message>
        <location filename="../widgets/idle_overlay.py" line="66" />
        <source>시간 연장</source>
        <translation>시간 연장</translation>
    </message>
</context>
<context>
    <name>LobbyWindow</name>
    <message>
        <location filename="../lobby/window.py" line="132" />
        <source>서민금융통합지원센터</source>
        <translation>서민금융통합지원센터</translation>
    </message>
    <message>
        <location filename="../lobby/window.py" line="134" />
        <source>이전</source>
        <translation>이전</translation>
    </message>
    <message>
        <location filename="../lobby/window.py" line="135" />
        <source>처음으로</source>
        <translation>처음으로</translation>
    </message>
    <message>
        <location filename="../lobby/window.py" line="136" />
        <source>다시 듣기</source>
        <translation>다시 듣기</translation>
    </message>
    <message>
        <location filename="../lobby/window.py" line="137" />
        <source>직원 호출</source>
        <translation>직원 호출</translation>
    </message>
    <message>
        <location filename="../lobby/window.py" line="139" />
        <source>본인 확인</source>
        <translation>본인 확인</translation>
    </message>
    <message>
        <location filename="../lobby/window.py" line="139" />
        <source>동의</source>
        <translation>동의</translation>
    </message>
    <message>
        <location filename="../lobby/window.py" line="139" />
        <source>질문</source>
        <translation>질문</translation>
    </message>
    <message>
        <location filename="../lobby/window.py" line="139" />
        <source>결과</source>
        <translation>결과</translation>
    </message>
    <message>
        <location filename="../lobby/window.py" line="139" />
        <source>번호표</source>
        <translation>번호표</translation>
    </message>
    <message>
        <location filename="../lobby/window.py" line="207" />
        <source>직원을 불렀어요. 잠시만 기다려 주세요.</source>
        <translation>직원을 불렀어요. 잠시만 기다려 주세요.</translation>
    </message>
    <message>
        <location filename="../lobby/flow.py" line="107" />
        <source>잠시 문제가 생겼어요. 계속 진행하셔도 되고, 어려우면 '직원 호출'을 눌러 주세요.</source>
        <translation>잠시 문제가 생겼어요. 계속 진행하셔도 되고, 어려우면 '직원 호출'을 눌러 주세요.</translation>
    </message>
</context>
<context>
    <name>NeedsScreen</name>
    <message>
        <location filename="../lobby/screens/needs.py" line="244" />
        <source>몇 가지만 여쭤볼게요</source>
        <translation>몇 가지만 여쭤볼게요</translation>
    </message>
    <message>
        <location filename="../lobby/screens/needs.py" line="253" />
        <source>다음</source>
        <translation>다음</translation>
    </message>
    <message>
        <location filename="../lobby/screens/needs.py" line="296" />
        <source>질문지를 불러오지 못했어요. 창구에서 상담사가 여쭤볼게요. '직원 호출'을 눌러 주세요.</source>
        <translation>질문지를 불러오지 못했어요. 창구에서 상담사가 여쭤볼게요. '직원 호출'을 눌러 주세요.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/needs.py" line="304" />
        <source>질문 %1</source>
        <translation>질문 %1</translation>
    </message>
    <message>
        <location filename="../lobby/screens/needs.py" line="312" />
        <source>잘 모르겠어요</source>
        <translation>잘 모르겠어요</translation>
    </message>
    <message>
        <source>질문 진행</source>
        <translation>질문 진행</translation>
    </message>
</context>
<context>
    <name>ResultsScreen</name>
    <message>
        <location filename="../lobby/screens/results.py" line="116" />
        <source>결과를 불러오지 못했어요. 번호표를 받으시면 상담사가 창구에서 자세히 알려 드릴게요.</source>
        <translation>결과를 불러오지 못했어요. 번호표를 받으시면 상담사가 창구에서 자세히 알려 드릴게요.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/results.py" line="142" />
        <source>신청할 수 있어요</source>
        <translation>신청할 수 있어요</translation>
    </message>
    <message>
        <location filename="../lobby/screens/results.py" line="143" />
        <source>서류 확인 후 가능할 수 있어요</source>
        <translation>서류 확인 후 가능할 수 있어요</translation>
    </message>
    <message>
        <location filename="../lobby/screens/results.py" line="144" />
        <source>지금은 어려워요</source>
        <translation>지금은 어려워요</translation>
    </message>
    <message>
        <location filename="../lobby/screens/results.py" line="150" />
        <source>지금은 어려워요 — 대신 이런 방법이 있어요</source>
        <translation>지금은 어려워요 — 대신 이런 방법이 있어요</translation>
    </message>
    <message>
        <location filename="../lobby/screens/results.py" line="192" />
        <source>받을 수 있는 도움이에요</source>
        <translation>받을 수 있는 도움이에요</translation>
    </message>
    <message>
        <location filename="../lobby/screens/results.py" line="200" />
        <source>신청할 수 있는 것이 %1개, 서류 확인 후 가능할 수 있는 것이 %2개 있어요. 번호표를 받으시면 상담사가 자세히 도와드려요.</source>
        <translation>신청할 수 있는 것이 %1개, 서류 확인 후 가능할 수 있는 것이 %2개 있어요. 번호표를 받으시면 상담사가 자세히 도와드려요.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/results.py" line="208" />
        <source>번호표 받기</source>
        <translation>번호표 받기</translation>
    </message>
    <message>
        <location filename="../lobby/screens/results.py" line="225" />
        <source>알맞은 지원 제도를 찾고 있어요. 잠시만 기다려 주세요.</source>
        <translation>알맞은 지원 제도를 찾고 있어요. 잠시만 기다려 주세요.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/results.py" line="228" />
        <source>상담사가 창구에서 한 번 더 확인해 드려요. 최종 결정은 서류 확인 후에 나요.</source>
        <translation>상담사가 창구에서 한 번 더 확인해 드려요. 최종 결정은 서류 확인 후에 나요.</translation>
    </message>
</context>
<context>
    <name>StaffPinScreen</name>
    <message>
        <location filename="../lobby/screens/staff.py" line="56" />
        <source>비밀번호 %1자리</source>
        <translation>비밀번호 %1자리</translation>
    </message>
    <message>
        <location filename="../lobby/screens/staff.py" line="59" />
        <source>직원 확인</source>
        <translation>직원 확인</translation>
    </message>
    <message>
        <location filename="../lobby/screens/staff.py" line="62" />
        <source>확인</source>
        <translation>확인</translation>
    </message>
    <message>
        <location filename="../lobby/screens/staff.py" line="79" />
        <source>비밀번호가 맞지 않아요.</source>
        <translation>비밀번호가 맞지 않아요.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/staff.py" line="90" />
        <source>직원용 화면이에요. 비밀번호를 눌러 주세요.</source>
        <translation>직원용 화면이에요. 비밀번호를 눌러 주세요.</translation>
    </message>
</context>
<context>
    <name>StaffScreen</name>
    <message>
        <location filename="../lobby/screens/staff.py" line="137" />
        <source>프린터가 설정되지 않았어요.</source>
        <translation>프린터가 설정되지 않았어요.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/staff.py" line="141" />
        <source>시험 인쇄를 보냈어요.</source>
        <translation>시험 인쇄를 보냈어요.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/staff.py" line="143" />
        <source>시험 인쇄 실패: %1</source>
        <translation>시험 인쇄 실패: %1</translation>
    </message>
    <message>
        <location filename="../lobby/screens/staff.py" line="155" />
        <source>설정을 다시 읽었어요.</source>
        <translation>설정을 다시 읽었어요.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/staff.py" line="160" />
        <source>설정 오류: %1</source>
        <translation>설정 오류: %1</translation>
    </message>
    <message>
        <location filename="../lobby/screens/staff.py" line="170" />
        <source>직원 모드</source>
        <translation>직원 모드</translation>
    </message>
    <message>
        <location filename="../lobby/screens/staff.py" line="173" />
        <source>키오스크로 돌아가기</source>
        <translation>키오스크로 돌아가기</translation>
    </message>
    <message>
        <location filename="../lobby/screens/staff.py" line="187" />
        <source>기기 상태 새로 보기</source>
        <translation>기기 상태 새로 보기</translation>
    </message>
    <message>
        <location filename="../lobby/screens/staff.py" line="188" />
        <source>시험 인쇄</source>
        <translation>시험 인쇄</translation>
    </message>
    <message>
        <location filename="../lobby/screens/staff.py" line="189" />
        <source>설정 다시 읽기</source>
        <translation>설정 다시 읽기</translation>
    </message>
    <message>
        <location filename="../lobby/screens/staff.py" line="190" />
        <source>프로그램 끝내기</source>
        <translation>프로그램 끝내기</translation>
    </message>
    <message>
        <location filename="../lobby/screens/staff.py" line="191" />
        <source>기기 상태</source>
        <translation>기기 상태</translation>
    </message>
</context>
<context>
    <name>TicketScreen</name>
    <message>
        <location filename="../lobby/screens/ticket.py" line="145" />
        <source>번호표를 인쇄하고 있어요…</source>
        <translation>번호표를 인쇄하고 있어요…</translation>
    </message>
    <message>
        <location filename="../lobby/screens/ticket.py" line="196" />
        <source>번호표가 나왔어요. 아래에서 가져가세요.</source>
        <translation>번호표가 나왔어요. 아래에서 가져가세요.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/ticket.py" line="211" />
        <source>번호표를 인쇄하지 못했어요. 휴대전화로 아래 QR을 찍거나 문자로 받으세요. 번호는 화면에서 기억하셔도 돼요.</source>
        <translation>번호표를 인쇄하지 못했어요. 휴대전화로 아래 QR을 찍거나 문자로 받으세요. 번호는 화면에서 기억하셔도 돼요.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/ticket.py" line="230" />
        <source>번호표 QR 코드</source>
        <translation>번호표 QR 코드</translation>
    </message>
    <message>
        <location filename="../lobby/screens/ticket.py" line="244" />
        <source>문자를 보내 드렸어요.</source>
        <translation>문자를 보내 드렸어요.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/ticket.py" line="246" />
        <source>문자를 보내지 못했어요. 번호를 기억하시거나 QR을 찍어 주세요.</source>
        <translation>문자를 보내지 못했어요. 번호를 기억하시거나 QR을 찍어 주세요.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/ticket.py" line="273" />
        <source>번호표</source>
        <translation>번호표</translation>
    </message>
    <message>
        <location filename="../lobby/screens/ticket.py" line="273" />
        <source>어떤 상담이 필요하세요?</source>
        <translation>어떤 상담이 필요하세요?</translation>
    </message>
    <message>
        <location filename="../lobby/screens/ticket.py" line="278" />
        <source>번호는 %1번이에요. %2</source>
        <translation>번호는 %1번이에요. %2</translation>
    </message>
    <message>
        <location filename="../lobby/screens/ticket.py" line="285" />
        <source>다 됐어요</source>
        <translation>다 됐어요</translation>
    </message>
    <message>
        <location filename="../lobby/screens/ticket.py" line="316" />
        <source>금융 상담 (대출·자금)</source>
        <translation>금융 상담 (대출·자금)</translation>
    </message>
    <message>
        <location filename="../lobby/screens/ticket.py" line="317" />
        <source>채무 조정 (빚 갚는 방법 조정)</source>
        <translation>채무 조정 (빚 갚는 방법 조정)</translation>
    </message>
    <message>
        <location filename="../lobby/screens/ticket.py" line="318" />
        <source>통합 상담 (잘 모르겠어요)</source>
        <translation>통합 상담 (잘 모르겠어요)</translation>
    </message>
    <message>
        <location filename="../lobby/screens/ticket.py" line="324" />
        <source>번호표를 발급하지 못했어요. '직원 호출'을 눌러 주시면 바로 도와드릴게요.</source>
        <translation>번호표를 발급하지 못했어요. '직원 호출'을 눌러 주시면 바로 도와드릴게요.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/ticket.py" line="327" />
        <source>번호표를 만들고 있어요…</source>
        <translation>번호표를 만들고 있어요…</translation>
    </message>
    <message>
        <location filename="../lobby/screens/ticket.py" line="329" />
        <source>상담 종류를 골라 주세요. 잘 모르시면 '통합 상담'을 누르세요.</source>
        <translation>상담 종류를 골라 주세요. 잘 모르시면 '통합 상담'을 누르세요.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/ticket.py" line="330" />
        <source>번호가 번호판에 나오면 그 창구로 가 주세요. 이름은 부르지 않아요.</source>
        <translation>번호가 번호판에 나오면 그 창구로 가 주세요. 이름은 부르지 않아요.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/ticket.py" line="331" />
        <source>문자로 받기</source>
        <translation>문자로 받기</translation>
    </message>
    <message>
        <location filename="../lobby/screens/ticket.py" line="332" />
        <source>다시 인쇄하기</source>
        <translation>다시 인쇄하기</translation>
    </message>
    <message>
        <location filename="../lobby/screens/ticket.py" line="340" />
        <source>앞에 %1명 · 약 %2분 기다려요</source>
        <translation>앞에 %1명 · 약 %2분 기다려요</translation>
    </message>
    <message>
        <source>프린터가 다시 준비됐어요. '다시 인쇄하기'를 눌러 주세요.</source>
        <translation>프린터가 다시 준비됐어요. '다시 인쇄하기'를 눌러 주세요.</translation>
    </message>
    <message>
        <source>번호표를 인쇄하지 못했어요. 휴대전화로 아래 QR을 찍거나, 화면의 번호를 기억해 주세요.</source>
        <translation>번호표를 인쇄하지 못했어요. 휴대전화로 아래 QR을 찍거나, 화면의 번호를 기억해 주세요.</translation>
    </message>
    <message>
        <source>'문자로 받기'를 누르면 문자로도 보내 드려요.</source>
        <translation>'문자로 받기'를 누르면 문자로도 보내 드려요.</translation>
    </message>
    <message>
        <source>바로 차례예요. 번호가 나오면 창구로 가 주세요.</source>
        <translation>바로 차례예요. 번호가 나오면 창구로 가 주세요.</translation>
    </message>
    <message>
        <source>앞에 %1명 있어요</source>
        <translation>앞에 %1명 있어요</translation>
    </message>
    <message>
        <source>센터 서버와 잠시 연결이 안 돼요. 이 번호표는 그대로 쓰시면 되고, 접수 내용은 연결되면 자동으로 보내져요.</source>
        <translation>센터 서버와 잠시 연결이 안 돼요. 이 번호표는 그대로 쓰시면 되고, 접수 내용은 연결되면 자동으로 보내져요.</translation>
    </message>
</context>
<context>
    <name>WelcomeScreen</name>
    <message>
        <location filename="../lobby/screens/welcome.py" line="103" />
        <source>어서 오세요. 무엇을 도와드릴까요?</source>
        <translation>어서 오세요. 무엇을 도와드릴까요?</translation>
    </message>
    <message>
        <location filename="../lobby/screens/welcome.py" line="107" />
        <source>어서 오세요. 상담을 받으시려면 가장 큰 버튼, 상담 접수 시작을 눌러 주세요. 번호표만 받으실 수도 있어요.</source>
        <translation>어서 오세요. 상담을 받으시려면 가장 큰 버튼, 상담 접수 시작을 눌러 주세요. 번호표만 받으실 수도 있어요.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/welcome.py" line="112" />
        <source>상담 접수 시작</source>
        <translation>상담 접수 시작</translation>
    </message>
    <message>
        <location filename="../lobby/screens/welcome.py" line="137" />
        <source>신분증만 있으면 돼요.
천천히 하셔도 괜찮아요.</source>
        <translation>신분증만 있으면 돼요.
천천히 하셔도 괜찮아요.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/welcome.py" line="138" />
        <source>상담 접수는 이렇게 진행돼요 (약 5분)</source>
        <translation>상담 접수는 이렇게 진행돼요 (약 5분)</translation>
    </message>
    <message>
        <location filename="../lobby/screens/welcome.py" line="142" />
        <source>① 신분증으로 본인 확인</source>
        <translation>① 신분증으로 본인 확인</translation>
    </message>
    <message>
        <location filename="../lobby/screens/welcome.py" line="143" />
        <source>② 개인정보 동의와 서명</source>
        <translation>② 개인정보 동의와 서명</translation>
    </message>
    <message>
        <location filename="../lobby/screens/welcome.py" line="144" />
        <source>③ 몇 가지 질문 (소득, 빚 등)</source>
        <translation>③ 몇 가지 질문 (소득, 빚 등)</translation>
    </message>
    <message>
        <location filename="../lobby/screens/welcome.py" line="145" />
        <source>④ 받을 수 있는 도움 확인</source>
        <translation>④ 받을 수 있는 도움 확인</translation>
    </message>
    <message>
        <location filename="../lobby/screens/welcome.py" line="146" />
        <source>⑤ 번호표 받고 창구에서 상담</source>
        <translation>⑤ 번호표 받고 창구에서 상담</translation>
    </message>
    <message>
        <location filename="../lobby/screens/welcome.py" line="151" />
        <source>모르는 것은 언제든 아래 '직원 호출'을 눌러 주세요.</source>
        <translation>모르는 것은 언제든 아래 '직원 호출'을 눌러 주세요.</translation>
    </message>
    <message>
        <location filename="../lobby/screens/welcome.py" line="152" />
        <source>번호표만 받기</source>
        <translation>번호표만 받기</translation>
    </message>
    <message>
        <location filename="../lobby/screens/welcome.py" line="153" />
        <source>궁금한 것 물어보기 (챗봇)</source>
        <translation>궁금한 것 물어보기 (챗봇)</translation>
    </message>
    <message>
        <location filename="../lobby/screens/welcome.py" line="154" />
        <source>화면과 소리 설정</source>
        <translation>화면과 소리 설정</translation>
    </message>
    <message>
        <location filename="../lobby/screens/welcome.py" line="155" />
        <source>글자 보통</source>
        <translation>글자 보통</translation>
    </message>
    <message>
        <location filename="../lobby/screens/welcome.py" line="156" />
        <source>글자 크게</source>
        <translation>글자 크게</translation>
    </message>
    <message>
        <location filename="../lobby/screens/welcome.py" line="157" />
        <source>글자 아주 크게</source>
        <translation>글자 아주 크게</translation>
    </message>
    <message>
        <location filename="../lobby/screens/welcome.py" line="158" />
        <source>고대비 화면</source>
        <translation>고대비 화면</translation>
    </message>
    <message>
        <location filename="../lobby/screens/welcome.py" line="159" />
        <source>음성 안내</source>
        <translation>음성 안내</translation>
    </message>
    <message>
        <location filename="../lobby/screens/welcome.py" line="160" />
        <source>천천히 말하기</source>
        <translation>천천히 말하기</translation>
    </message>
    <message>
        <source>다른 일로 오셨나요?</source>
        <translation>다른 일로 오셨나요?</translation>
    </message>
    <message>
        <source>낮은 화면</source>
        <translation>낮은 화면</translation>
    </message>
    <message>
        <source>휠체어에서도 닿도록 모든 버튼을 화면 아래쪽에 모아요</source>
        <translation>휠체어에서도 닿도록 모든 버튼을 화면 아래쪽에 모아요</translation>
    </message>
</context>
<context>
    <name>SignatureCanvas</name>
    <message>
        <source>지우고 다시 쓰기</source>
        <translation>지우고 다시 쓰기</translation>
    </message>
    <message>
        <source>선 위에 서명해 주세요.</source>
        <translation>선 위에 서명해 주세요.</translation>
    </message>
    <message>
        <source>다시 서명해 주세요. 이름을 평소처럼 써 주세요.</source>
        <translation>다시 서명해 주세요. 이름을 평소처럼 써 주세요.</translation>
    </message>
</context>
<context>
    <name>ProgressDots</name>
    <message>
        <source>끝났어요</source>
        <translation>끝났어요</translation>
    </message>
    <message>
        <source>지금 단계</source>
        <translation>지금 단계</translation>
    </message>
    <message>
        <source>남았어요</source>
        <translation>남았어요</translation>
    </message>
</context>
</TS>