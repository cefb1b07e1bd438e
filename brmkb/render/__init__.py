"""Front-end formats of a report; each turns the same findings into text for one audience."""
