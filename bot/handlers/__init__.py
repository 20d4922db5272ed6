"""One module per command family: a command (or a button) in, a Reply out, through the ports."""
