// A file per device or per model: a dock and its aircraft each get their own package in one batch. Each
// file offered says whether its name fits the device's model (DJI names the product in the file name).
import { useId } from 'react';
import type { DeviceInfo, FirmwareInfo } from '../../preload/api';
import { packageFit } from '../../preload/firmware-model';
import { useSlice, useStores } from '../store/stores';

function fitWords(f: FirmwareInfo, d: DeviceInfo | undefined): string {
  if (!d) return '';
  const fit = packageFit(f.fileName, d.product, d.model);
  return fit.fit === 'fits' ? ` (for ${fit.family})` : fit.fit === 'other-model' ? ` (for ${fit.family}: not this model)` : '';
}

function FileSelect({
  id,
  label,
  value,
  files,
  device,
  batchFile,
  onChange,
}: {
  id: string;
  label: string;
  value: string;
  files: readonly FirmwareInfo[];
  device?: DeviceInfo;
  batchFile?: FirmwareInfo;
  onChange: (id: string) => void;
}) {
  return (
    <>
      <label htmlFor={id} className="sr-only">
        {label}
      </label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{batchFile ? `The batch file (${batchFile.fileName})` : 'The batch file (none chosen)'}</option>
        {files.map((f) => (
          <option key={f.id} value={f.id}>
            {f.fileName} — {f.version ?? 'version unknown'}
            {fitWords(f, device)}
          </option>
        ))}
      </select>
    </>
  );
}

export function UpgradeFilesPanel({ selected, files }: { selected: readonly string[]; files: readonly FirmwareInfo[] }) {
  const id = useId();
  const ui = useStores().ui.getState();
  const devices = useSlice('devices', (s) => s.bySn);
  const packages = useSlice('ui', (s) => s.packages);
  const batchId = useSlice('ui', (s) => s.firmwareId);
  const batchFile = files.find((f) => f.id === batchId);
  if (selected.length === 0) return null;
  const models = [...new Set(selected.map((sn) => devices[sn]?.model ?? 'unknown model'))];
  const ofModel = (model: string) => selected.filter((sn) => (devices[sn]?.model ?? 'unknown model') === model);
  const modelValue = (model: string) => {
    const ids = new Set(ofModel(model).map((sn) => packages[sn] ?? ''));
    return ids.size === 1 ? [...ids][0]! : '';
  };
  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Files per device</h3>
      <p className="muted small">Each device gets the batch file unless you pick another here: for a model at once, or one device at a time.</p>
      {models.length > 1 || ofModel(models[0]!).length > 1 ? (
        <table className="table files-table">
          <caption className="sr-only">Files per model</caption>
          <thead>
            <tr>
              <th scope="col">Model</th>
              <th scope="col">File for every device of the model</th>
            </tr>
          </thead>
          <tbody>
            {models.map((model, i) => (
              <tr key={model}>
                <th scope="row">
                  {model} <span className="muted">({ofModel(model).length})</span>
                </th>
                <td>
                  <FileSelect
                    id={`${id}-m${i}`}
                    label={`File for every ${model}`}
                    value={modelValue(model)}
                    files={files}
                    device={devices[ofModel(model)[0]!]}
                    batchFile={batchFile}
                    onChange={(fid) => ui.setPackages(ofModel(model), fid || undefined)}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <table className="table files-table">
        <caption className="sr-only">Files per device</caption>
        <thead>
          <tr>
            <th scope="col">Device</th>
            <th scope="col">File</th>
          </tr>
        </thead>
        <tbody>
          {selected.map((sn, i) => (
            <tr key={sn}>
              <th scope="row">
                <span className="mono">{sn}</span> <span className="muted">{devices[sn]?.model ?? ''}</span>
              </th>
              <td>
                <FileSelect
                  id={`${id}-d${i}`}
                  label={`File for ${sn}`}
                  value={packages[sn] ?? ''}
                  files={files}
                  device={devices[sn]}
                  batchFile={batchFile}
                  onChange={(fid) => ui.setPackages([sn], fid || undefined)}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
