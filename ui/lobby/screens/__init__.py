"""One module per kiosk screen; each is a LobbyScreen shown inside the LobbyWindow chrome."""
