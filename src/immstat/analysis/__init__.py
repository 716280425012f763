"""What ImmStat computes from metrics: stated targets vs pace, capacity what-ifs, claim checks,
and the demo build."""
