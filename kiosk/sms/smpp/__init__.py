"""SMPP 3.4: the PDU codec and message text (`codec`, `text`), an SMSC emulator (`emulator`) and the
``smpplib`` transceiver backend (`backend.SmppGateway`)."""
