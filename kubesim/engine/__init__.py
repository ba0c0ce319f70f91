"""The passage of time: the clock, the tick that runs every controller, and sessions that
open the cluster with time caught up."""
