"""coordination: the Working Group, its meetings, and the National Action Plan."""
