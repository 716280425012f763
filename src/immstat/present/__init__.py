"""What the surfaces share: chart specs, panels, page filters, citations and number formats."""
