"""Questions asked of the data: filters, search, selection, statistics, cards, exports."""
