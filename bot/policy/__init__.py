"""Pure decision logic: functions of (order, now, settings), no I/O."""
