"""ICAO 9303 ePassport access over PC/SC: TLV, APDUs, BAC, secure messaging, EF.COM/DG1, the reader."""
