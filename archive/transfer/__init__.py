"""Handover of dossiers to the historical archive (giao nộp hồ sơ vào lưu trữ lịch sử): which
dossiers are due (``due``), their packages and the handover record (``handover``)."""
