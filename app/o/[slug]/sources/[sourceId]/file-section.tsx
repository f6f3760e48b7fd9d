'use client';
// A file source's own cards: the upload, the versions, and the preview of the chosen version.
import { useState } from 'react';
import type { Source } from '../_parts/draft';
import { FilePreview } from './file-preview';
import { FileUpload } from './file-upload';
import { FileVersions } from './file-versions';

export function FileSection({ source }: { source: Source }) {
  // undefined: the file synchronisations read (pinned or newest).
  const [fileId, setFileId] = useState<string | undefined>();
  return (
    <>
      <FileUpload source={source} onUploaded={() => setFileId(undefined)} />
      <FilePreview source={source} fileId={fileId} />
      <FileVersions source={source} previewing={fileId} onPreview={setFileId} />
    </>
  );
}
