"""Officer work in chat (issue 6): completeness, reports, committee requests, record updates,
search. One module per conversation; each keeps its Thai texts in one dict `T` at the top."""
