'use strict';

function formatMoney(cents, currency = 'EUR') {
  return new Intl.NumberFormat('en-GB', { style: 'currency', currency }).format(cents / 100);
}

function formatDate(value) {
  return new Date(value).toISOString().slice(0, 10);
}

function renderTemplate(template, vars) {
  return template.replace(/\{\{(\w+)\}\}/g, (_, key) => (key in vars ? String(vars[key]) : ''));
}

exports = { formatMoney, formatDate, renderTemplate };
