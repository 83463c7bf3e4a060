"""The Korean HTTP provider (Solapi-v4-shaped): HMAC request signing, SMS/LMS by EUC-KR bytes, the backend
(`backend.HttpGateway`), its emulator (`emulator.ProviderEmulator`) and the signed delivery webhook."""
