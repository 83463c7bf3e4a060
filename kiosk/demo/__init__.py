"""`kiosk demo`: a whole center on one machine — the hub, a lobby, a desk and a counter — on emulated devices.

`center.start_demo_center` starts the hub and enrolls the three clients; `roles` holds what each client
does (the same code runs in one process for `--headless`, or one process per role in the multi-process
test); `headless.run_headless` scripts N walk-ins and writes the summary.
"""
