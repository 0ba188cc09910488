-- Minimal Neovim (0.7+) config for the end-to-end test: start libvirt-gate-lsp over stdio for
-- the fixture workspace, open two drivers, and write what the editor got to a JSON file:
-- vim.diagnostic.get() per file, one hover and the quick fixes for one diagnostic.
-- Env: LVG_ROOT (workspace copy), LVG_SERVER (bin/libvirt-gate-lsp.js), LVG_OUT (JSON file),
-- LVG_EXPECT (JSON: per file, the expected diagnostics as "code severity line:col-line:col"),
-- LVG_LINE (0-based line of the LVG001 finding in driver/guest.py to hover and ask quick fixes
-- for), LVG_FIRST_MS and LVG_WAIT_MS (deadlines of the first diagnostics and of any other answer).
local root = os.getenv('LVG_ROOT')
local first_ms = tonumber(os.getenv('LVG_FIRST_MS'))
local wait_ms = tonumber(os.getenv('LVG_WAIT_MS'))
local out = { errors = {}, files = {} }
local function fail(msg) table.insert(out.errors, msg) end

local function finish()
  local f = io.open(os.getenv('LVG_OUT'), 'w')
  f:write(vim.fn.json_encode(out))
  f:close()
  vim.cmd('qall!')
end

local ok, err = pcall(function()
  local client_id = vim.lsp.start_client({
    name = 'libvirt-gate',
    cmd = { 'node', os.getenv('LVG_SERVER'), '--stdio' },
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = 'workspace' } },
  })
  if not client_id then error('vim.lsp.start_client failed') end

  local expect = vim.fn.json_decode(os.getenv('LVG_EXPECT'))
  -- A buffer's diagnostics in the form of LVG_EXPECT, sorted.
  local function signature(buf)
    local list = {}
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      local code = d.code or ((d.user_data or {}).lsp or {}).code
      table.insert(list, string.format('%s %d %d:%d-%d:%d', code, d.severity, d.lnum, d.col, d.end_lnum, d.end_col))
    end
    table.sort(list)
    return table.concat(list, ', ')
  end

  local bufs = {}
  for _, rel in ipairs({ 'driver/guest.py', 'driver/blockio.py' }) do
    vim.cmd('edit ' .. vim.fn.fnameescape(root .. '/' .. rel))
    local buf = vim.api.nvim_get_current_buf()
    vim.lsp.buf_attach_client(buf, client_id)
    bufs[rel] = buf
  end

  local initialized = vim.wait(first_ms, function()
    local c = vim.lsp.get_client_by_id(client_id)
    return c ~= nil and c.initialized
  end, 50)
  if not initialized then error('the server did not initialize') end
  out.server = vim.lsp.get_client_by_id(client_id).server_capabilities ~= nil

  for rel, buf in pairs(bufs) do
    -- Wait for exactly the expected set (not a count): an early publish could have as many.
    local want = expect[rel]
    table.sort(want)
    want = table.concat(want, ', ')
    local got = vim.wait(first_ms, function() return signature(buf) == want end, 50)
    if not got then fail(rel .. ': timed out waiting for [' .. want .. ']; have [' .. signature(buf) .. ']') end
    local list = {}
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      local lsp = (d.user_data or {}).lsp or {}
      table.insert(list, {
        code = d.code or lsp.code, severity = d.severity, message = d.message, source = d.source,
        range = { d.lnum, d.col, d.end_lnum, d.end_col },
        unnecessary = vim.tbl_contains(lsp.tags or {}, 1),
      })
    end
    out.files[rel] = list
  end

  -- Hover on libvirt.VIR_MIGRATE_POSTCOPY (LVG_LINE, 0-based).
  local guest = bufs['driver/guest.py']
  local line = tonumber(os.getenv('LVG_LINE'))
  local params = { textDocument = { uri = vim.uri_from_bufnr(guest) }, position = { line = line, character = 35 } }
  local responses, hover_err = vim.lsp.buf_request_sync(guest, 'textDocument/hover', params, wait_ms)
  if hover_err then fail('hover: ' .. tostring(hover_err)) end
  for _, r in pairs(responses or {}) do
    if r.err then fail('hover: ' .. vim.inspect(r.err)) end
    if r.result and r.result.contents then out.hover = r.result.contents.value or vim.inspect(r.result.contents) end
  end

  -- Quick fixes for the LVG001 diagnostic there.
  local diags = {}
  for _, d in ipairs(vim.diagnostic.get(guest, { lnum = line })) do
    local lsp = (d.user_data or {}).lsp
    if lsp then table.insert(diags, lsp) end
  end
  local actions, actions_err = vim.lsp.buf_request_sync(guest, 'textDocument/codeAction', {
    textDocument = params.textDocument,
    range = { start = { line = line, character = 29 }, ['end'] = { line = line, character = 49 } },
    context = { diagnostics = diags, only = { 'quickfix' } },
  }, wait_ms)
  if actions_err then fail('codeAction: ' .. tostring(actions_err)) end
  out.actions = {}
  for _, r in pairs(actions or {}) do
    for _, a in ipairs(r.result or {}) do table.insert(out.actions, a.title) end
  end

  -- Shut the server down the way :qa does, and check it went.
  vim.lsp.stop_client(client_id)
  out.stopped = vim.wait(wait_ms, function() return vim.lsp.get_client_by_id(client_id) == nil end, 50)
end)
if not ok then fail(tostring(err)) end
finish()
