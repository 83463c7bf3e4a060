"""One settings section per area, each in its own module so areas grow independently."""
